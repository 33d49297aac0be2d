export { proposer } from "./proposer.js";
export {
  type CreateStateParams,
  createState,
  freshHeight,
  type Step,
  type TendermintState,
} from "./state.js";
export { type StepResult, step } from "./step.js";
export * from "./types.js";
