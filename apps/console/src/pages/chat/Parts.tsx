// Renders an assistant turn's parts in order: text, reasoning, tool cards, questions.
import { ASK_USER_TOOL, askUserInput, type DisplayPart } from '../../lib/parts.ts'
import { AskUserCard, type AskState } from './AskUserCard.tsx'
import { Reasoning } from './Reasoning.tsx'
import { ToolCard } from './ToolCard.tsx'

export function Parts({ parts, ask, live }: { parts: DisplayPart[]; ask?: AskState; live?: boolean }) {
  return (
    <>
      {parts.map((p, i) => {
        const key = p.kind === 'tool' ? p.id : `${p.kind}-${i}`
        if (p.kind === 'text') {
          if (!p.text) return null
          return (
            <div key={key} className="assistant-text">
              {p.text}
              {live && p.streaming && <span className="caret" aria-hidden="true" />}
            </div>
          )
        }
        if (p.kind === 'reasoning') return p.text || p.streaming ? <Reasoning key={key} part={p} /> : null
        const question = p.tool === ASK_USER_TOOL ? askUserInput(p.input) : null
        if (question && ask && p.state !== 'error') return <AskUserCard key={key} ask={question} state={ask} />
        return <ToolCard key={key} part={p} subAgent={p.children.length > 0 ? <Parts parts={p.children} /> : null} />
      })}
    </>
  )
}
