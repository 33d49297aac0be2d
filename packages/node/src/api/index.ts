export type { Principal } from "./auth/authenticator.js";
export { AuthError, type AuthErrorCode } from "./auth/errors.js";
export { READ_GROUPS, resolveAuthOptions } from "./auth/options.js";
export {
  type ApiAuthOptions,
  type ApiOptions,
  type AuthMode,
  defaultApiOptions,
  type ReadGroup,
  resolveApiOptions,
} from "./options.js";
export { ApiError, type ApiErrorCode, type Problem, problemFor, statusForCode } from "./problem.js";
export { type ApiDeps, createApiServer, type OpenApiDocument, openApiDocument } from "./server.js";
