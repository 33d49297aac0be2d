export { type ApiOptions, defaultApiOptions, resolveApiOptions } from "./options.js";
export { ApiError, type ApiErrorCode, type Problem, problemFor, statusForCode } from "./problem.js";
export { type ApiDeps, createApiServer, type OpenApiDocument, openApiDocument } from "./server.js";
