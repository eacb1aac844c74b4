// Placeholder replaced when the agent runtime lands.
export {}
