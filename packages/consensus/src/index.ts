export * from "./application.js";
export * from "./solo.js";
