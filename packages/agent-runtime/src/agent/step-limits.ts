// The default step budgets of a run and of a sub-agent, in a module of their own: the server's
// configuration reads them (as setting defaults) without loading the agent loop and its AI SDK.
export const DEFAULT_MAX_STEPS = 50
export const DEFAULT_SUBAGENT_MAX_STEPS = 25
