export {};
export * from "./validate/index.js";
export * from "./hash/index.js";
export * from "./identifiers/index.js";
