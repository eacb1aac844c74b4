// The engine importing a layer above it.
export { appErrorOf } from '@runyard/services'
