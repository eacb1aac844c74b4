// The LangGraph server's graph for the peer benchmark: a prebuilt ReAct agent on the scripted model
// (ChatOpenAI at $BENCH_MODEL_URL, streaming) with one `bash` tool that runs its command with
// `bash -c` in a fresh folder under $BENCH_WORK_DIR, removed afterwards. Copied next to a
// langgraph.json into the server's state folder by bench/peers/servers/langgraph.ts.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { tool } from '@langchain/core/tools'
import { createReactAgent } from '@langchain/langgraph/prebuilt'
import { ChatOpenAI } from '@langchain/openai'
import { z } from 'zod'

const workDir = process.env.BENCH_WORK_DIR

function runBash(command, cwd) {
  return new Promise((resolve) => {
    execFile('bash', ['-c', command], { cwd, timeout: 30_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      resolve(err ? `${stdout}${stderr}\n[exit ${err.code ?? err.signal}]` : `${stdout}${stderr}`)
    })
  })
}

const bash = tool(
  async ({ command }) => {
    await mkdir(workDir, { recursive: true })
    const cwd = await mkdtemp(path.join(workDir, 'run-'))
    try {
      return await runBash(command, cwd)
    } finally {
      await rm(cwd, { recursive: true, force: true })
    }
  },
  {
    name: 'bash',
    description: 'Run a shell command in a fresh temporary folder and return its output.',
    schema: z.object({ command: z.string().describe('the command line, run with bash -c') }),
  },
)

const model = new ChatOpenAI({
  model: process.env.BENCH_MODEL_ID,
  apiKey: 'sk-bench',
  temperature: 0,
  streaming: true,
  configuration: { baseURL: process.env.BENCH_MODEL_URL },
})

export const graph = createReactAgent({ llm: model, tools: [bash] })
