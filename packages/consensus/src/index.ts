export * from "./application.js";
export * from "./solo.js";
export * from "./tendermint/index.js";
