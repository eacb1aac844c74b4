// A surface adapter reaching past the services into the engine.
export { createEngine } from '@runyard/engine'
