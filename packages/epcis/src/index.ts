export {};
export * from "./validate/index.js";
