// The bare baseline for SSE throughput: a plain `node:http` server writing given SSE frames,
// frame by frame as a streaming server would. Run as its own process (like the Runyard server
// it is compared with), so it does not share an event loop with the reader.
//   node bare-sse-server.mjs <file with the frames>   → prints its port, serves until killed
import fs from 'node:fs'
import http from 'node:http'

const frames = fs.readFileSync(process.argv[2], 'utf8')
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const parts = frames.split('\n\n').filter(Boolean)
  let i = 0
  const pump = () => {
    while (i < parts.length) if (!res.write(parts[i++] + '\n\n')) return void res.once('drain', pump)
    res.end()
  }
  pump()
})
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`))
