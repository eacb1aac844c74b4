// The spec's streaming rules, checked on a captured stream. Each broken rule becomes one line
// naming the event (`#<sequence_number> <type>`) and what the spec asks for instead.
//
// Rules (specification.mdx, "HTTP Responses" / "Items are streamable" / "Streaming"):
// - `Content-Type: text/event-stream`; each `data:` is one JSON event whose `event:` field MUST
//   match its `type`; the terminal event MUST be the literal `data: [DONE]`.
// - every event validates against the spec's schema for its type (extension events need an
//   implementor-slug prefix);
// - `sequence_number`s increase; the first event is `response.created`; the response goes to
//   `in_progress` (`response.in_progress`) before output items appear; exactly one terminal
//   response event (`response.completed` / `.failed` / `.incomplete`) and it is the last event;
// - per output item: `response.output_item.added` first (status `in_progress`, output indexes
//   0, 1, 2, …), then its content: `response.content_part.added` → `response.<type>.delta`… →
//   `response.<type>.done` → `response.content_part.done`, or for a function call
//   `response.function_call_arguments.delta`… → `response.function_call_arguments.done`; then
//   `response.output_item.done`. The `done` values equal the concatenated deltas, and the
//   terminal response's `output` is the sequence of items the stream closed.
import { show, streamEventProblems } from './spec.ts'
import type { StreamReply } from './wire.ts'

export const TERMINAL_EVENTS: Record<string, string> = {
  'response.completed': 'completed',
  'response.failed': 'failed',
  'response.incomplete': 'incomplete',
}

interface PartState {
  type: string
  text: string
  deltas: number
  textDone: string | undefined
  closed: boolean
}

interface ItemState {
  index: number
  id: string | undefined
  type: string | undefined
  addedStatus: unknown
  parts: PartState[]
  args: string
  argDeltas: number
  argsDone: string | undefined
  doneItem: any
}

export interface StreamAnalysis {
  problems: string[]
  /** The JSON events in order (frames that did not parse are left out). */
  events: any[]
  /** The terminal response event (`response.completed` / `.failed` / `.incomplete`), if any. */
  terminal: any
  /** Output items as closed by `response.output_item.done`, by output index. */
  doneItems: any[]
}

const at = (e: any) => `#${e?.sequence_number ?? '?'} ${e?.type ?? '(no type)'}`

export function analyzeStream(reply: StreamReply): StreamAnalysis {
  const problems: string[] = []
  const add = (m: string) => {
    if (!problems.includes(m)) problems.push(m)
  }
  const events: any[] = []
  const empty: StreamAnalysis = { problems, events, terminal: undefined, doneItems: [] }

  if (reply.status !== 200 || !reply.contentType.startsWith('text/event-stream')) {
    add(
      `expected HTTP 200 with Content-Type text/event-stream, got ${reply.status} "${reply.contentType}": ${(reply.text ?? '').slice(0, 400)}`,
    )
    return empty
  }

  // Framing: JSON events, `event:` = `type`, then the literal [DONE] as the very last frame.
  const doneAt = reply.frames.findIndex((f) => f.data === '[DONE]')
  if (doneAt < 0)
    add(
      'the stream did not end with the literal `data: [DONE]` terminal event (spec: "The terminal event MUST be the literal string [DONE]")',
    )
  else if (doneAt !== reply.frames.length - 1)
    add(`${reply.frames.length - doneAt - 1} frame(s) came after \`data: [DONE]\`; it must be the terminal event`)
  for (const [i, f] of reply.frames.entries()) {
    if (f.data === '[DONE]') continue
    let e: any
    try {
      e = JSON.parse(f.data)
    } catch {
      add(`frame ${i}: data is not JSON: ${f.data.slice(0, 200)}`)
      continue
    }
    events.push(e)
    if (f.event !== e?.type)
      add(
        `${at(e)}: the SSE \`event:\` field is ${show(f.event)} but the event's type is ${show(e?.type)} (they MUST match)`,
      )
  }

  // Schema: the same problem in several events is reported once, naming the events.
  const bySchemaProblem = new Map<string, string[]>()
  for (const e of events) {
    for (const p of streamEventProblems(e)) {
      const line = `${p.path ? `event${p.path}` : 'event'}: ${p.text}`
      const where = bySchemaProblem.get(line) ?? []
      where.push(at(e))
      bySchemaProblem.set(line, where)
    }
  }
  for (const [line, where] of bySchemaProblem) {
    const shown = where.length > 4 ? `${where.slice(0, 4).join(', ')} and ${where.length - 4} more` : where.join(', ')
    add(`schema: ${line} (in ${shown})`)
  }

  if (!events.length) {
    add('the stream carried no events')
    return empty
  }

  // Order.
  if (events[0]?.type !== 'response.created') add(`the first event must be response.created, got ${at(events[0])}`)
  for (let i = 1; i < events.length; i++) {
    const a = events[i - 1]?.sequence_number
    const b = events[i]?.sequence_number
    if (!(typeof a === 'number' && typeof b === 'number' && b > a)) {
      add(`sequence_number must increase from event to event: ${at(events[i - 1])} is followed by ${at(events[i])}`)
      break
    }
  }
  const terminals = events.filter((e) => e?.type in TERMINAL_EVENTS)
  const terminal = terminals.at(-1)
  if (!terminals.length)
    add(
      'no terminal event: the stream must end the response with response.completed, response.failed or response.incomplete',
    )
  if (terminals.length > 1)
    add(`${terminals.length} terminal events (${terminals.map(at).join(', ')}); there must be exactly one`)
  if (terminal && events.at(-1) !== terminal)
    add(
      `${at(terminal)} must be the last event, but ${events.length - 1 - events.indexOf(terminal)} event(s) followed it (first: ${at(events[events.indexOf(terminal) + 1])})`,
    )
  if (terminal && terminal.response?.status !== TERMINAL_EVENTS[terminal.type]) {
    add(
      `${at(terminal)}: response.status is ${show(terminal.response?.status)}, expected "${TERMINAL_EVENTS[terminal.type]}"`,
    )
  }

  // Item lifecycles.
  const items: ItemState[] = []
  let inProgressSeen = false
  let reportedEarlyOutput = false
  const itemFor = (e: any, what: string): ItemState | undefined => {
    const item = items[e.output_index]
    if (!item) {
      add(`${at(e)}: ${what} for output_index ${show(e.output_index)}, which no response.output_item.added opened`)
      return undefined
    }
    if ('item_id' in e && e.item_id !== item.id)
      add(`${at(e)}: item_id ${show(e.item_id)} does not match the id ${show(item.id)} of output item ${item.index}`)
    if (item.doneItem !== undefined)
      add(`${at(e)}: ${what} after output item ${item.index} was closed by response.output_item.done`)
    return item
  }
  const partFor = (e: any, item: ItemState, what: string): PartState | undefined => {
    const part = item.parts[e.content_index]
    if (!part)
      add(
        `${at(e)}: ${what} for content_index ${show(e.content_index)} of output item ${item.index}, which no response.content_part.added opened`,
      )
    else if (part.closed)
      add(
        `${at(e)}: ${what} after content part ${e.content_index} of output item ${item.index} was closed by response.content_part.done`,
      )
    return part
  }

  for (const e of events) {
    const type: string = e?.type
    if (type === 'response.in_progress') inProgressSeen = true
    if (type === 'response.output_item.added') {
      if (!inProgressSeen && !reportedEarlyOutput) {
        reportedEarlyOutput = true
        add(
          `${at(e)} came before any response.in_progress: the response must move to in_progress before output is added`,
        )
      }
      if (e.output_index !== items.length)
        add(
          `${at(e)}: output_index is ${show(e.output_index)}, expected ${items.length} (items are added in order 0, 1, 2, …)`,
        )
      const item = e.item ?? {}
      if (item.status !== 'in_progress')
        add(
          `${at(e)}: the added ${item.type ?? 'item'} has status ${show(item.status)}; an item being emitted is "in_progress"`,
        )
      items[e.output_index ?? items.length] = {
        index: e.output_index,
        id: item.id,
        type: item.type,
        addedStatus: item.status,
        parts: [],
        args: '',
        argDeltas: 0,
        argsDone: undefined,
        doneItem: undefined,
      }
    } else if (type === 'response.content_part.added') {
      const item = itemFor(e, type)
      if (item) {
        if (e.content_index !== item.parts.length)
          add(`${at(e)}: content_index is ${show(e.content_index)}, expected ${item.parts.length}`)
        item.parts[e.content_index ?? item.parts.length] = {
          type: e.part?.type,
          text: e.part?.text ?? '',
          deltas: 0,
          textDone: undefined,
          closed: false,
        }
      }
    } else if (type === 'response.output_text.delta') {
      const item = itemFor(e, type)
      const part = item && partFor(e, item, type)
      if (part) {
        if (part.textDone !== undefined)
          add(`${at(e)}: text delta after response.output_text.done for the same content part`)
        part.text += e.delta ?? ''
        part.deltas++
      }
    } else if (type === 'response.output_text.done') {
      const item = itemFor(e, type)
      const part = item && partFor(e, item, type)
      if (part) {
        if (e.text !== part.text)
          add(`${at(e)}: text ${show(e.text)} is not the concatenation of its deltas ${show(part.text)}`)
        part.textDone = e.text
      }
    } else if (type === 'response.content_part.done') {
      const item = itemFor(e, type)
      const part = item && partFor(e, item, type)
      if (part) {
        if (part.type === 'output_text' && part.textDone === undefined)
          add(
            `${at(e)}: content part closed without response.output_text.done (deltas end with .done, then content_part.done)`,
          )
        if (e.part?.text !== undefined && e.part.text !== part.text)
          add(`${at(e)}: part.text ${show(e.part.text)} differs from the streamed text ${show(part.text)}`)
        part.closed = true
      }
    } else if (type === 'response.function_call_arguments.delta') {
      const item = itemFor(e, type)
      if (item) {
        if (item.type !== 'function_call')
          add(`${at(e)}: arguments delta for output item ${item.index}, which is a ${item.type}, not a function_call`)
        if (item.argsDone !== undefined) add(`${at(e)}: arguments delta after response.function_call_arguments.done`)
        item.args += e.delta ?? ''
        item.argDeltas++
      }
    } else if (type === 'response.function_call_arguments.done') {
      const item = itemFor(e, type)
      if (item) {
        if (item.argDeltas === 0 && (e.arguments ?? '') !== '')
          add(
            `${at(e)}: no response.function_call_arguments.delta came before it (arguments are streamed as deltas, then .done)`,
          )
        else if (e.arguments !== item.args)
          add(`${at(e)}: arguments ${show(e.arguments)} are not the concatenation of their deltas ${show(item.args)}`)
        item.argsDone = e.arguments
      }
    } else if (type === 'response.output_item.done') {
      const item = itemFor(e, type)
      if (item) {
        const done = e.item ?? {}
        if (done.id !== item.id)
          add(`${at(e)}: item.id ${show(done.id)} differs from the id ${show(item.id)} it was added with`)
        if (done.type !== item.type)
          add(`${at(e)}: item.type ${show(done.type)} differs from the type ${show(item.type)} it was added with`)
        const open = item.parts.filter((p) => !p.closed).length
        if (open) add(`${at(e)}: ${open} content part(s) of this item were not closed by response.content_part.done`)
        if (done.type === 'message' && Array.isArray(done.content)) {
          if (done.content.length > item.parts.length) {
            add(
              `${at(e)}: the message has ${done.content.length} content part(s) but ${item.parts.length} were streamed with response.content_part.added (streamable content MUST be backed by a content part)`,
            )
          }
          for (const [i, part] of item.parts.entries()) {
            if (part?.type === 'output_text' && done.content[i]?.text !== part.text)
              add(
                `${at(e)}: content[${i}].text ${show(done.content[i]?.text)} differs from the streamed text ${show(part.text)}`,
              )
          }
        }
        if (done.type === 'function_call') {
          if (item.argsDone === undefined)
            add(`${at(e)}: the function_call item was closed without response.function_call_arguments.done`)
          else if (done.arguments !== item.argsDone)
            add(
              `${at(e)}: item.arguments ${show(done.arguments)} differ from response.function_call_arguments.done ${show(item.argsDone)}`,
            )
        }
        item.doneItem = done
      }
    }
  }

  if (terminal) {
    const open = items.filter((i) => i && i.doneItem === undefined)
    if (open.length)
      add(
        `${at(terminal)}: output item(s) ${open.map((i) => i.index).join(', ')} were never closed by response.output_item.done`,
      )
    if (terminal.type === 'response.completed') {
      for (const i of items) {
        if (i?.doneItem && i.doneItem.status !== 'completed')
          add(
            `output item ${i.index} (${i.type}) ended with status ${show(i.doneItem.status)} in a completed response; expected "completed"`,
          )
      }
    }
    const output: any[] = Array.isArray(terminal.response?.output) ? terminal.response.output : []
    if (output.length !== items.length)
      add(`${at(terminal)}: response.output has ${output.length} item(s) but the stream added ${items.length}`)
    for (const [idx, item] of items.entries()) {
      const o = output[idx]
      if (!item || !o || !item.doneItem) continue
      for (const key of ['id', 'type', 'call_id', 'name', 'arguments', 'role', 'status'] as const) {
        if (JSON.stringify(o[key]) !== JSON.stringify(item.doneItem[key]))
          add(
            `${at(terminal)}: response.output[${idx}].${key} ${show(o[key])} differs from the streamed item's ${show(item.doneItem[key])}`,
          )
      }
      if (
        o.type === 'message' &&
        JSON.stringify((o.content ?? []).map((c: any) => c?.text)) !==
          JSON.stringify((item.doneItem.content ?? []).map((c: any) => c?.text))
      ) {
        add(`${at(terminal)}: response.output[${idx}] text differs from the streamed message`)
      }
    }
  }

  return { problems, events, terminal, doneItems: items.map((i) => i?.doneItem) }
}
