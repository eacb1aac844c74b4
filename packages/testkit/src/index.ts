export * from './fake-e2b/index.ts'
export * from './fake-openai/index.ts'
