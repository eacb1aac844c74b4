// `/docs`: Swagger UI served from the `swagger-ui-dist` package (no CDN), pointed at /openapi.json.
import { createRequire } from 'node:module'
import path from 'node:path'
import express, { type Router } from 'express'

const assetsDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Runyard API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
  <link rel="icon" href="data:," />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`

const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });`

export function docsRouter(): Router {
  const router = express.Router()
  router.get('/docs', (_req, res) => void res.type('html').send(page))
  router.get('/docs/init.js', (_req, res) => void res.type('application/javascript').send(init))
  router.use('/docs/assets', express.static(assetsDir, { index: false, maxAge: '1h' }))
  return router
}
