import { WeftError } from "@weft/core";

export type NodeErrorCode =
  | "NODE_NOT_FOUND"
  | "NODE_INVALID_ARGUMENT"
  | "NODE_MEMPOOL_FULL"
  | "NODE_STOPPED"
  | "NODE_BAD_CONFIG";
export class NodeError extends WeftError<{
  code: NodeErrorCode;
  message: string;
  [field: string]: unknown;
}> {}

export type AppErrorCode =
  | "APP_UNKNOWN_MODULE"
  | "APP_UNKNOWN_METHOD"
  | "APP_UNKNOWN_QUERY"
  | "APP_INVALID_ARGS"
  | "APP_INVALID_GENESIS";
export class AppError extends WeftError<{ code: AppErrorCode; message: string; [field: string]: unknown }> {}
