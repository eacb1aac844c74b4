// What a surface adapter may import.
export { appErrorOf } from '@runyard/services'
