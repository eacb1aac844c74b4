export declare const SERVER_NODE_FLAGS: readonly string[]
export declare const RUNTIME_V8_FLAGS: readonly string[]
