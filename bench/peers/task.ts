// The task every server runs, and the check every run must pass: a new session with one user
// message; the model asks for `bash` to run COMMAND, the server runs it, and the model answers
// quoting the tool's output (2 model calls).
export const PROMPT = 'Create proof.txt with the shell and show me its content.'
export const PROOF = 'runyard-proof'
export const COMMAND = `echo ${PROOF} > proof.txt && cat proof.txt`

/** What a server reported for one run, read back from its own API. */
export interface RunTranscript {
  /** The `bash` tool's output, as the server gave it to the model. */
  toolOutput: string | undefined
  /** The assistant's answer (the text after the tool call). */
  answer: string
}

/** Throws unless the tool ran the command (its output has PROOF on a line of its own) and the answer quotes it. */
export function checkRun({ toolOutput, answer }: RunTranscript): void {
  if (toolOutput === undefined) throw new Error('no completed bash tool call')
  if (!new RegExp(`^${PROOF}$`, 'm').test(toolOutput))
    throw new Error(`the bash tool's output lacks ${PROOF}: ${JSON.stringify(toolOutput.slice(0, 200))}`)
  if (!answer.includes(PROOF))
    throw new Error(`the answer does not quote the tool's output: ${JSON.stringify(answer.slice(0, 200))}`)
}
