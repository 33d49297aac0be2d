export * from "./hash/index.js";
export * from "./identifiers/index.js";
export * from "./validate/index.js";
