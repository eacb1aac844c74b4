export { openApiDocument } from './app.ts'
