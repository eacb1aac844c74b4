// A service that knows about HTTP.
export { Router } from 'express'
