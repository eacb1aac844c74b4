export * from './fake-e2b/index.ts'
