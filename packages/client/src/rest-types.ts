// Generated from the Runyard OpenAPI document by openapi-typescript. Do not edit:
// run `pnpm --filter @runyard/client generate` (a test fails when this file drifts).
export interface paths {
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Check server liveness
         * @description Answers `{"status":"ok"}` while the server and its database are reachable, 503 otherwise.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List sessions
         * @description The caller's sessions, newest first, a page at a time: pass the `nextCursor` of a page as `cursor` for the next one (`null` on the last page).
         */
        get: operations["listSessions"];
        put?: never;
        /**
         * Create a session
         * @description Creates an agent session (`lifecycleState: provisioning`) and its initial chat in one transaction. Answers **200** (as the hosted API does). Unknown body fields are ignored. A `workspacePath` or absolute `globalSkillRefs` entry must be a folder this server lets clients use (403 `workspace_not_allowed` says why otherwise).
         */
        post: operations["createSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a session */
        get: operations["getSession"];
        put?: never;
        post?: never;
        /**
         * Delete a session
         * @description Archives the session (see [archive](#/Sessions/archiveSession)), then deletes it with its chats, messages, runs and their event logs, and removes its server-managed workspace folder. A workspace folder the client registered is left as it is. Afterwards the session is not found (404).
         */
        delete: operations["deleteSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{sessionId}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive a session
         * @description Cancels the session's queued and running runs, releases its sandbox and marks it `archived`: no run can start on it any more (409 `session_archived`), its transcript and runs stay readable. Idempotent.
         */
        post: operations["archiveSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Interactive turn (streamed)
         * @description Runs one agent turn on the durable engine and streams it as an AI SDK UI-message stream, so `useChat` with `DefaultChatTransport` works unchanged — including the chat id `useChat` generates itself: the first message with an id not seen before creates a session and a chat under that id. The run continues if the client disconnects; reconnect with [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream). The run id is in the `x-workflow-run-id` header.
         *
         *     409 when the chat already has an active run, or when its session is archived (no new turns on an archived session).
         *
         *     **Related endpoints**
         *     - [POST /api/chat/runs](#/Chat/startChatRun) — a **headless** run: `202` at once, read it later.
         *     - [GET /api/chat/runs/{runId}](#/Chat/getChatRun) — **whether** a run finished (its status, not its content).
         *     - [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream) — **watch** a chat's active run live, or resume it after a reload (`204` when none is active).
         *     - [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages) — **read** a chat's transcript — how a finished run's answer is read.
         *     - [GET /api/chat/runs](#/Chat/listChatRuns) — **list** the account's runs (filters, cursor pages).
         *     - [GET /api/chat/runs/{runId}/events](#/Chat/getChatRunEvents) — a run's full event log, resumable.
         *     - [POST /api/v1/sessions/{id}/message](#/CometCode/cometcodePostSessionMessage) — the interactive turn of the CometCode-compatible API.
         */
        post: operations["chatTurn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List runs
         * @description The caller's runs on every surface, newest first, a page at a time (pass a page's `nextCursor` as `cursor`; `null` on the last page), optionally only one status, chat or session, or those created in a time range.
         *
         *     **Related endpoints**
         *     - [POST /api/chat](#/Chat/chatTurn) — an **interactive** turn streamed to a chat UI (`useChat`).
         *     - [POST /api/chat/runs](#/Chat/startChatRun) — a **headless** run: `202` at once, read it later.
         *     - [GET /api/chat/runs/{runId}](#/Chat/getChatRun) — **whether** a run finished (its status, not its content).
         *     - [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream) — **watch** a chat's active run live, or resume it after a reload (`204` when none is active).
         *     - [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages) — **read** a chat's transcript — how a finished run's answer is read.
         *     - [GET /api/chat/runs/{runId}/events](#/Chat/getChatRunEvents) — a run's full event log, resumable.
         *     - [POST /api/v1/sessions/{id}/message](#/CometCode/cometcodePostSessionMessage) — the interactive turn of the CometCode-compatible API.
         */
        get: operations["listChatRuns"];
        put?: never;
        /**
         * Start a headless run (202)
         * @description Starts an asynchronous agent run and answers **202** at once, before any sandbox or model work; the run continues on the engine. Poll [GET /api/chat/runs/{runId}](#/Chat/getChatRun) (the `Location`), watch it with [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream) using the returned `chatId`, and read the answer with [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages) once it finished.
         *
         *     Unknown body fields are ignored (as the hosted API does), so callers sending `artistId`, `organizationId`, `topic` or `roomId` keep working.
         *
         *     409 when the chat already has an active run (unless `ifBusy: "enqueue"`), or when the session is archived (no new runs on an archived session).
         *
         *     **Related endpoints**
         *     - [POST /api/chat](#/Chat/chatTurn) — an **interactive** turn streamed to a chat UI (`useChat`).
         *     - [GET /api/chat/runs/{runId}](#/Chat/getChatRun) — **whether** a run finished (its status, not its content).
         *     - [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream) — **watch** a chat's active run live, or resume it after a reload (`204` when none is active).
         *     - [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages) — **read** a chat's transcript — how a finished run's answer is read.
         *     - [GET /api/chat/runs](#/Chat/listChatRuns) — **list** the account's runs (filters, cursor pages).
         *     - [GET /api/chat/runs/{runId}/events](#/Chat/getChatRunEvents) — a run's full event log, resumable.
         *     - [POST /api/v1/sessions/{id}/message](#/CometCode/cometcodePostSessionMessage) — the interactive turn of the CometCode-compatible API.
         */
        post: operations["startChatRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat/runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Run status
         * @description A point-in-time status of a run started with [POST /api/chat/runs](#/Chat/startChatRun) — not its content: read that with [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages) once it finished, or live with [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream). 404 only when no such run exists for this account.
         *
         *     **Related endpoints**
         *     - [POST /api/chat](#/Chat/chatTurn) — an **interactive** turn streamed to a chat UI (`useChat`).
         *     - [POST /api/chat/runs](#/Chat/startChatRun) — a **headless** run: `202` at once, read it later.
         *     - [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream) — **watch** a chat's active run live, or resume it after a reload (`204` when none is active).
         *     - [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages) — **read** a chat's transcript — how a finished run's answer is read.
         *     - [GET /api/chat/runs](#/Chat/listChatRuns) — **list** the account's runs (filters, cursor pages).
         *     - [GET /api/chat/runs/{runId}/events](#/Chat/getChatRunEvents) — a run's full event log, resumable.
         *     - [POST /api/v1/sessions/{id}/message](#/CometCode/cometcodePostSessionMessage) — the interactive turn of the CometCode-compatible API.
         */
        get: operations["getChatRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat/runs/{runId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a run
         * @description Idempotent. A queued run never starts; a running run is stopped (model call and sandbox process aborted, partial output kept) and answers `cancelled`; a finished run is left as it is and its final state returned. See [GET /api/chat/runs/{runId}](#/Chat/getChatRun).
         */
        post: operations["cancelChatRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat/runs/{runId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Run event log (SSE, resumable)
         * @description Any run's normalized event log as server-sent events: replayed from the database, then tailed live until the run ends. `id:` is the event seq (1, 2, 3… without gaps); resume with `Last-Event-ID` or `?after=<seq>`. Works for finished runs too.
         *
         *     **Related endpoints**
         *     - [POST /api/chat](#/Chat/chatTurn) — an **interactive** turn streamed to a chat UI (`useChat`).
         *     - [POST /api/chat/runs](#/Chat/startChatRun) — a **headless** run: `202` at once, read it later.
         *     - [GET /api/chat/runs/{runId}](#/Chat/getChatRun) — **whether** a run finished (its status, not its content).
         *     - [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream) — **watch** a chat's active run live, or resume it after a reload (`204` when none is active).
         *     - [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages) — **read** a chat's transcript — how a finished run's answer is read.
         *     - [GET /api/chat/runs](#/Chat/listChatRuns) — **list** the account's runs (filters, cursor pages).
         *     - [POST /api/v1/sessions/{id}/message](#/CometCode/cometcodePostSessionMessage) — the interactive turn of the CometCode-compatible API.
         */
        get: operations["getChatRunEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat/{chatId}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Resume the chat's active run (UI-message stream)
         * @description Streams the chat's **active** run as an AI SDK UI-message stream — what `useChat({ resume: true })` calls on page load. **204** when no run is active, so a finished answer is never appended twice: read it with [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages). Without `Last-Event-ID` it replays the run from its first event (what the AI SDK client expects); with it, from just after that id (400 when it is not an event seq). `chatId` may be the id `useChat` gave the chat; such an id not used yet answers 204 too (nothing to resume), an unknown `chat_…` id 404.
         *
         *     **Related endpoints**
         *     - [POST /api/chat](#/Chat/chatTurn) — an **interactive** turn streamed to a chat UI (`useChat`).
         *     - [POST /api/chat/runs](#/Chat/startChatRun) — a **headless** run: `202` at once, read it later.
         *     - [GET /api/chat/runs/{runId}](#/Chat/getChatRun) — **whether** a run finished (its status, not its content).
         *     - [GET /api/chat/{chatId}/messages](#/Chat/getChatMessages) — **read** a chat's transcript — how a finished run's answer is read.
         *     - [GET /api/chat/runs](#/Chat/listChatRuns) — **list** the account's runs (filters, cursor pages).
         *     - [GET /api/chat/runs/{runId}/events](#/Chat/getChatRunEvents) — a run's full event log, resumable.
         *     - [POST /api/v1/sessions/{id}/message](#/CometCode/cometcodePostSessionMessage) — the interactive turn of the CometCode-compatible API.
         */
        get: operations["resumeChatStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat/{chatId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The chat's transcript (UIMessages)
         * @description The chat's persisted messages as AI SDK `UIMessage`s, oldest first: the user's turns and the agent's answers with their reasoning and tool calls. This is how a finished run's answer is read once [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream) answers 204, and what a `useChat` page loads as its initial `messages`. A run still going shows what it has produced so far. `chatId` may be the id `useChat` gave the chat; for such an id not used yet the transcript is empty (`[]`), for an unknown `chat_…` id 404.
         *
         *     **Related endpoints**
         *     - [POST /api/chat](#/Chat/chatTurn) — an **interactive** turn streamed to a chat UI (`useChat`).
         *     - [POST /api/chat/runs](#/Chat/startChatRun) — a **headless** run: `202` at once, read it later.
         *     - [GET /api/chat/runs/{runId}](#/Chat/getChatRun) — **whether** a run finished (its status, not its content).
         *     - [GET /api/chat/{chatId}/stream](#/Chat/resumeChatStream) — **watch** a chat's active run live, or resume it after a reload (`204` when none is active).
         *     - [GET /api/chat/runs](#/Chat/listChatRuns) — **list** the account's runs (filters, cursor pages).
         *     - [GET /api/chat/runs/{runId}/events](#/Chat/getChatRunEvents) — a run's full event log, resumable.
         *     - [POST /api/v1/sessions/{id}/message](#/CometCode/cometcodePostSessionMessage) — the interactive turn of the CometCode-compatible API.
         */
        get: operations["getChatMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the account's API keys
         * @description Personal and org keys of the caller's account, newest first: never their secrets, never run keys. Run keys get 403.
         */
        get: operations["listKeys"];
        put?: never;
        /**
         * Create an API key
         * @description A new personal key of the caller's account. The secret is in this response only; only its hash is stored.
         */
        post: operations["createKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/keys/{keyId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke an API key
         * @description The key stops working at once, on every server process. Idempotent.
         */
        post: operations["revokeKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/org/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the organisation's member accounts
         * @description Org keys only (403 otherwise): the accounts an org key may act for by sending `accountId`.
         */
        get: operations["listOrgMembers"];
        put?: never;
        /**
         * Create a member account
         * @description Org keys only: a new personal account in the organisation. Existing accounts are put into an org by the operator (`runyard accounts add-member`), never by a key.
         */
        post: operations["createOrgMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/org/members/{accountId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member from the organisation
         * @description Org keys only: the org can no longer act for the account. The account and its data stay.
         */
        delete: operations["removeOrgMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the account's webhook endpoints
         * @description Newest first, never their secrets. Run keys get 403.
         */
        get: operations["listWebhookEndpoints"];
        put?: never;
        /**
         * Create a webhook endpoint
         * @description Runyard POSTs a message to `url` when one of the account's runs ends (`run.completed`, `run.failed`, `run.cancelled`) or ends waiting for client tool output (`run.waiting`), retrying failures for about a day. `url` must be https (http only to hosts in RUNYARD_WEBHOOK_ALLOW_HOSTS), carry no credentials and not name a private or internal address. The signing secret is in this response only. Messages are signed as Standard Webhooks specifies: verify `webhook-signature` with the secret (e.g. `new Webhook(secret).verify(body, headers)` from the `standardwebhooks` package).
         */
        post: operations["createWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{endpointId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a webhook endpoint
         * @description With its health: `lastSuccessAt`, `failingSince`, and `disabledReason` when Runyard disabled it.
         */
        get: operations["getWebhookEndpoint"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint
         * @description With its delivery log; messages not delivered yet are dropped.
         */
        delete: operations["deleteWebhookEndpoint"];
        options?: never;
        head?: never;
        /**
         * Change a webhook endpoint
         * @description Changes the fields given. `enabled: false` stops new messages (pending ones are not sent); `enabled: true` on an endpoint Runyard disabled starts it afresh.
         */
        patch: operations["updateWebhookEndpoint"];
        trace?: never;
    };
    "/api/webhooks/{endpointId}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a webhook endpoint's signing secret
         * @description A new secret signs every message sent from now on (retries included); the old one stops verifying at once. The secret is in this response only.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{endpointId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An endpoint's delivery log
         * @description Its messages, newest first: status, attempts, the last status code and error, and the body sent.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{endpointId}/deliveries/{messageId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a webhook message again
         * @description The same message (same `webhook-id`, same body), queued now with a fresh retry schedule. 409 when the endpoint is disabled or an attempt at the message is in flight.
         */
        post: operations["redeliverWebhookMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List sessions for one workspace
         * @description Sessions of exactly one workspace (`workspace_id` or `workspace_path` query parameter), newest first. Unlike creation, an unknown `workspace_path` is not registered: 404 `workspace_not_found`.
         */
        get: operations["cometcodeListSessions"];
        put?: never;
        /**
         * Create a session
         * @description Creates a session for exactly one workspace: `workspace_id` (registered) or `workspace_path` (absolute; registered on first use — only this endpoint registers workspaces). `model_id`/`provider_id` are checked against the configured models (unknown → 400 `model_not_found`).
         */
        post: operations["cometcodeCreateSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get one session
         * @description 404 `session_not_found` for unknown sessions and for sessions of other accounts.
         */
        get: operations["cometcodeGetSession"];
        put?: never;
        post?: never;
        /**
         * Delete a session
         * @description Beyond the seed. Stops the session's running turn, releases its sandbox and deletes the session with its transcript; its workspace folder and registration stay. 404 `session_not_found` for unknown sessions and sessions of other accounts; afterwards the session is not found.
         */
        delete: operations["cometcodeDeleteSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get transcript-style session messages
         * @description The session's conversation (its first chat) as transcript items (`user`, `reasoning`, `assistant`, `tool`) in order, built from the stored messages. Tool items carry the input and the recorded output as text (`tool_error: true` with the error text when the tool failed).
         */
        get: operations["cometcodeGetSessionMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{id}/message": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send one text message and stream events over SSE
         * @description Starts a turn (a durable `interactive` run) and streams its events as `text/event-stream` until `done`. Disconnecting does not stop the run (use `POST /api/v1/sessions/{id}/abort`); its result is kept in `GET /api/v1/sessions/{id}/messages`. One turn at a time: 409 `session_running` while any run is active on the session; 409 `session_archived` when the session is archived. Use this for CometCode clients; for an AI SDK `useChat` stream use `POST /api/chat`, and for headless runs (202 at once, no stream held open) use `POST /api/chat/runs`.
         */
        post: operations["cometcodePostSessionMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{id}/abort": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Abort an in-flight session run
         * @description Requests cancellation of the session's active run (whatever started it) and answers at once; the run's stream then ends with `{"type":"error","code":"cancelled"}` and `done`, and the run is `cancelled`.
         */
        post: operations["cometcodeAbortSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/responses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a response
         * @description Runs the agent (tools, sandbox, server-side conversation state) on the input and answers in OpenAI's Responses format; the official `openai` SDK works unmodified with `baseURL` set to `<runyard>/v1`.
         *
         *     - Without `previous_response_id` a new session + chat is provisioned; with it, the turn continues that response's chat (the agent sees every earlier turn). The conversation is the chat's linear transcript: continuing from an older response also includes the turns made after it.
         *     - Non-streaming: waits for the run to finish, at most `RUNYARD_RESPONSES_TIMEOUT_MS` (default 120 s); beyond that it answers the response as it is (`in_progress`) — poll it with `GET /v1/responses/{id}`.
         *     - `background: true` answers at once with status `queued`.
         *     - Output items: assistant text is `message` items; each server-side tool call is a `function_call` item followed by a `function_call_output` item with the tool's result (informational: the tools already ran — never send them back); exposed reasoning is a `reasoning` item.
         *     - A conversation runs one response at a time: continuing one whose response is still in progress answers 409 naming it (`chat_busy`). Continuing a conversation whose session was archived answers 409 `session_archived`.
         */
        post: operations["createResponse"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/responses/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a response
         * @description The response as of now (any status). With `stream=true`, its events as server-sent events: replayed from the start of the log (or after `starting_after` / `Last-Event-ID`), then live until it finishes.
         */
        get: operations["getResponse"];
        put?: never;
        post?: never;
        /**
         * Delete a response
         * @description Cancels the response if it is still active, then deletes the response record: retrieve, cancel, input items and `previous_response_id` answer 404 for it afterwards. The underlying run and the chat transcript stay in their session (visible on the console and the other surfaces).
         */
        delete: operations["deleteResponse"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/responses/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a response
         * @description Idempotent in every state: a queued response never runs, a running one stops (tool and model calls aborted, partial output kept) and ends `cancelled`, a finished one is returned unchanged.
         */
        post: operations["cancelResponse"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/responses/{id}/input_items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List input items
         * @description The messages this response added to the conversation, as the agent received them (an `x_context` line included).
         */
        get: operations["listResponseInputItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List models
         * @description The models this server runs agents with, in OpenAI's list shape: `default` (the configured default model) and every configured model id.
         */
        get: operations["listModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{model}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve a model */
        get: operations["getModel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chat/completions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a chat completion
         * @description Runs the agent (its tools, its sandbox) on the conversation in `messages` and answers as a Chat Completions model would: the agent's text is the assistant message; calls of the client's own `tools` end the completion with `tool_calls` (`finish_reason: "tool_calls"`) — send the conversation again with the `tool` messages to continue. The agent's server-side tool calls are not shown here (they are in the console and the run's events). `usage` sums every model call of the run.
         *
         *     - Each request is a run in a session of its own (the conversation travels with every request); the run id is in the `x-runyard-run-id` header.
         *     - `stream: true`: `chat.completion.chunk` events, then `data: [DONE]`; `stream_options.include_usage` adds a last chunk with the usage.
         *     - A run that fails answers `500` (streaming: an `{"error":…}` chunk) with the run's error code.
         *
         *     Use `/v1/responses` instead to keep the conversation on the server (`previous_response_id`), to run in the background, or to read the agent's tool calls.
         */
        post: operations["createChatCompletion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "run.completed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * run.completed
         * @description A run of the account completed. POSTed to each enabled endpoint of the account that takes `run.completed`. A 2xx answer within 10 seconds is a success; anything else is retried after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then given up. An endpoint with no success for 5 days is disabled.
         */
        post: operations["webhook_run_completed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "run.failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * run.failed
         * @description A run of the account failed (`data.error` says why). POSTed to each enabled endpoint of the account that takes `run.failed`. A 2xx answer within 10 seconds is a success; anything else is retried after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then given up. An endpoint with no success for 5 days is disabled.
         */
        post: operations["webhook_run_failed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "run.cancelled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * run.cancelled
         * @description A run of the account was cancelled. POSTed to each enabled endpoint of the account that takes `run.cancelled`. A 2xx answer within 10 seconds is a success; anything else is retried after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then given up. An endpoint with no success for 5 days is disabled.
         */
        post: operations["webhook_run_cancelled"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "run.waiting": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * run.waiting
         * @description A run of the account ended waiting for the output of client tool calls (`data.pendingToolCalls`): send it in the next request. POSTed to each enabled endpoint of the account that takes `run.waiting`. A 2xx answer within 10 seconds is a success; anything else is retried after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then given up. An endpoint with no success for 5 days is disabled.
         */
        post: operations["webhook_run_waiting"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @description A run completed. */
        WebhookRunCompleted: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "run.completed";
            /**
             * Format: date-time
             * @description When the run ended (as `data.finishedAt`).
             * @example 2026-12-07T10:00:00.000Z
             */
            timestamp: string;
            data: components["schemas"]["WebhookRunData"];
        };
        WebhookRunData: {
            /**
             * @description run id (`run_…`)
             * @example run_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            runId: string;
            /**
             * @description chat id (`chat_…`)
             * @example chat_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            chatId: string;
            /**
             * @description session id (`sess_…`)
             * @example sess_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            sessionId: string;
            kind: components["schemas"]["RunKind"];
            /** @enum {string} */
            status: "completed" | "failed" | "cancelled";
            /**
             * @description The run's Responses API id (`/v1/responses` runs), to continue with `previous_response_id`.
             * @example resp_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            responseId: string | null;
            error: components["schemas"]["RunError"];
            usage: components["schemas"]["TokenUsage"];
            /**
             * Format: date-time
             * @example 2026-12-07T10:00:00.000Z
             */
            finishedAt: string;
            /** @description Client tool calls waiting for their output (`run.waiting`); empty otherwise. */
            pendingToolCalls: {
                /** @description The call id (`call_id` on the OpenAI surfaces). */
                id: string;
                tool: string;
            }[];
        };
        /** @enum {string} */
        RunKind: "interactive" | "async" | "response";
        RunError: {
            code: components["schemas"]["RunErrorCode"] | string;
            message: string;
        } | null;
        /** @enum {string} */
        RunErrorCode: "llm" | "tool" | "sandbox" | "timeout" | "cancelled" | "worker_lost" | "internal";
        TokenUsage: {
            inputTokens: number;
            outputTokens: number;
            cacheRead: number;
            cacheWrite: number;
        };
        /** @description A run failed; `data.error` says why. */
        WebhookRunFailed: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "run.failed";
            /**
             * Format: date-time
             * @description When the run ended (as `data.finishedAt`).
             * @example 2026-12-07T10:00:00.000Z
             */
            timestamp: string;
            data: components["schemas"]["WebhookRunData"];
        };
        /** @description A run was cancelled. */
        WebhookRunCancelled: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "run.cancelled";
            /**
             * Format: date-time
             * @description When the run ended (as `data.finishedAt`).
             * @example 2026-12-07T10:00:00.000Z
             */
            timestamp: string;
            data: components["schemas"]["WebhookRunData"];
        };
        /** @description A run ended waiting for the output of client tool calls (`data.pendingToolCalls`). */
        WebhookRunWaiting: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "run.waiting";
            /**
             * Format: date-time
             * @description When the run ended (as `data.finishedAt`).
             * @example 2026-12-07T10:00:00.000Z
             */
            timestamp: string;
            data: components["schemas"]["WebhookRunData"];
        };
        HealthResponse: {
            /** @enum {string} */
            status: "ok";
        };
        /**
         * @description CometCode error envelope.
         * @example {
         *       "error": {
         *         "code": "session_not_found",
         *         "message": "session was not found"
         *       }
         *     }
         */
        CometCodeError: {
            error: {
                code: string;
                message: string;
            };
        };
        CreateSessionResponse: {
            session: components["schemas"]["Session"];
            chat: components["schemas"]["Chat"];
        };
        Session: {
            /**
             * @description session id (`sess_…`)
             * @example sess_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            id: string;
            /**
             * @description account id (`acct_…`)
             * @example acct_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            accountId: string;
            /**
             * @description Same as accountId; named userId for client compatibility.
             * @example acct_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            userId: string;
            title: string;
            /**
             * @description workspace id (`ws_…`)
             * @example ws_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            workspaceId: string | null;
            workspacePath: string | null;
            repoOwner: string | null;
            repoName: string | null;
            branch: string | null;
            isNewBranch: boolean;
            cloneUrl: string | null;
            sandboxType: components["schemas"]["SandboxType"];
            lifecycleState: components["schemas"]["LifecycleState"];
            modelId: string;
            providerId: string;
            tokenUsage: components["schemas"]["TokenUsage"];
            prNumber: number | null;
            prStatus: string | null;
            autoCommitPush: boolean;
            autoCommitPushOverride: boolean | null;
            autoCreatePr: boolean;
            autoCreatePrOverride: boolean | null;
            globalSkillRefs: string[];
            /** @description Id of the run currently streaming in this session, if any. */
            activeStreamId: string | null;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            updatedAt: string;
        };
        /** @enum {string} */
        SandboxType: "e2b" | "local" | "host" | "none";
        /** @enum {string} */
        LifecycleState: "provisioning" | "active" | "hibernating" | "hibernated" | "restoring" | "archived" | "failed";
        Chat: {
            /**
             * @description chat id (`chat_…`)
             * @example chat_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            id: string;
            /**
             * @description session id (`sess_…`)
             * @example sess_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            sessionId: string;
            title: string;
            /** @description The id the client gave this chat (as `useChat` does), if any; usable wherever a chat id is. */
            clientId: string | null;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            updatedAt: string;
        };
        /**
         * @description Error of the camelCase REST API (`/api`, as the hosted Recoup API): `{status:"error", error:"<message>"}`.
         * @example {
         *       "status": "error",
         *       "error": "Session not found"
         *     }
         */
        RestError: {
            /** @enum {string} */
            status: "error";
            error: string;
        };
        CreateSessionRequest: {
            title?: string;
            /**
             * @description workspace id (`ws_…`)
             * @example ws_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            workspaceId?: string;
            workspacePath?: string;
            repoOwner?: string;
            repoName?: string;
            branch?: string;
            isNewBranch?: boolean;
            /** Format: uri */
            cloneUrl?: string;
            sandboxType?: components["schemas"]["SandboxType"];
            modelId?: string;
            providerId?: string;
            autoCommitPush?: boolean;
            autoCreatePr?: boolean;
            globalSkillRefs?: string[];
        };
        GetSessionResponse: {
            session: components["schemas"]["Session"];
        };
        ListSessionsResponse: {
            sessions: components["schemas"]["Session"][];
            /**
             * @description Pass as `cursor` for the next page; null on the last one.
             * @example sess_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            nextCursor: string | null;
        };
        DeletedSessionResponse: {
            /**
             * @description session id (`sess_…`)
             * @example sess_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            sessionId: string;
            /** @enum {boolean} */
            deleted: true;
        };
        /** @description One AI SDK UI-message stream chunk (`x-vercel-ai-ui-message-stream: v1`) per SSE frame: `id: <run event seq>` + `data: <this JSON>`; all chunks projected from one run event share its seq. A run replayed from its start begins with `start`; a completed run ends with `finish`, a failed one with `error`, a cancelled one with `abort`. The stream is terminated by a last frame `data: [DONE]` (literal text, not JSON, no `id:`). These are the chunk types Runyard sends, a subset of the AI SDK's `UIMessageChunk`. */
        UIMessageChunk: {
            /** @enum {string} */
            type: "start";
            messageId: string;
        } | {
            /** @enum {string} */
            type: "start-step";
        } | {
            /** @enum {string} */
            type: "text-start";
            /** @description Part id, shared by the start, delta and end chunks of one text or reasoning part. */
            id: string;
        } | {
            /** @enum {string} */
            type: "text-delta";
            /** @description Part id, shared by the start, delta and end chunks of one text or reasoning part. */
            id: string;
            delta: string;
        } | {
            /** @enum {string} */
            type: "text-end";
            /** @description Part id, shared by the start, delta and end chunks of one text or reasoning part. */
            id: string;
        } | {
            /** @enum {string} */
            type: "reasoning-start";
            /** @description Part id, shared by the start, delta and end chunks of one text or reasoning part. */
            id: string;
        } | {
            /** @enum {string} */
            type: "reasoning-delta";
            /** @description Part id, shared by the start, delta and end chunks of one text or reasoning part. */
            id: string;
            delta: string;
        } | {
            /** @enum {string} */
            type: "reasoning-end";
            /** @description Part id, shared by the start, delta and end chunks of one text or reasoning part. */
            id: string;
        } | {
            /** @enum {string} */
            type: "tool-input-available";
            /** @description The tool call this chunk belongs to (`tool-input-available` announced it). */
            toolCallId: string;
            toolName: string;
            /** @description Opaque JSON. */
            input: string | number | boolean | null | unknown[] | {
                [key: string]: unknown;
            };
        } | {
            /** @enum {string} */
            type: "tool-output-available";
            /** @description The tool call this chunk belongs to (`tool-input-available` announced it). */
            toolCallId: string;
            output: string;
        } | {
            /** @enum {string} */
            type: "tool-output-error";
            /** @description The tool call this chunk belongs to (`tool-input-available` announced it). */
            toolCallId: string;
            errorText: string;
        } | {
            /** @enum {string} */
            type: "finish-step";
        } | {
            /** @enum {string} */
            type: "reset-step";
        } | {
            /** @enum {string} */
            type: "finish";
            /** @enum {string} */
            finishReason: "stop";
        } | {
            /** @enum {string} */
            type: "error";
            errorText: string;
        } | {
            /** @enum {string} */
            type: "abort";
            reason: string;
        };
        ChatTurnRequest: {
            /**
             * @description The chat: its id, or the client's own id for it (what `useChat`'s DefaultChatTransport sends; a new chat is created for an id not seen before).
             * @example chat_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            id?: string;
            /**
             * @description A chat id (`chat_…`) or the id the client gave the chat (as `useChat` does).
             * @example chat_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            chatId?: string;
            sessionId?: string;
            messages: components["schemas"]["UIMessage"][];
            /** @enum {string} */
            trigger?: "submit-message" | "regenerate-message";
            messageId?: string;
            model?: string;
        };
        /** @description AI SDK UIMessage (`ai` v7). */
        UIMessage: {
            id: string;
            /** @enum {string} */
            role: "system" | "user" | "assistant";
            metadata?: unknown;
            parts: components["schemas"]["UIMessagePart"][];
        };
        /** @description An AI SDK UIMessage part (text, reasoning, tool-<name>, step-start, file, source, data-<name>). */
        UIMessagePart: {
            /** @enum {string} */
            type: "text";
            text: string;
            /** @enum {string} */
            state?: "streaming" | "done";
            providerMetadata?: {
                [key: string]: {
                    [key: string]: unknown;
                };
            };
        } | {
            /** @enum {string} */
            type: "reasoning";
            text: string;
            /** @enum {string} */
            state?: "streaming" | "done";
            providerMetadata?: {
                [key: string]: {
                    [key: string]: unknown;
                };
            };
        } | {
            /** @enum {string} */
            type: "step-start";
        } | {
            /** @enum {string} */
            type: "file";
            mediaType: string;
            url: string;
            filename?: string;
            providerMetadata?: {
                [key: string]: {
                    [key: string]: unknown;
                };
            };
        } | {
            /** @enum {string} */
            type: "source-url";
            sourceId: string;
            url: string;
            title?: string;
            providerMetadata?: {
                [key: string]: {
                    [key: string]: unknown;
                };
            };
        } | {
            /** @enum {string} */
            type: "source-document";
            sourceId: string;
            mediaType: string;
            title: string;
            filename?: string;
            providerMetadata?: {
                [key: string]: {
                    [key: string]: unknown;
                };
            };
        } | {
            /** @enum {string} */
            type: "dynamic-tool";
            toolName: string;
            toolCallId: string;
            /** @enum {string} */
            state: "input-streaming" | "input-available" | "approval-requested" | "approval-responded" | "output-available" | "output-error" | "output-denied";
            input?: unknown;
            output?: unknown;
            errorText?: string;
            providerExecuted?: boolean;
            title?: string;
        } | {
            type: string;
            toolCallId: string;
            /** @enum {string} */
            state: "input-streaming" | "input-available" | "approval-requested" | "approval-responded" | "output-available" | "output-error" | "output-denied";
            input?: unknown;
            output?: unknown;
            errorText?: string;
            providerExecuted?: boolean;
            title?: string;
        } | {
            type: string;
            id?: string;
            data?: unknown;
        };
        /**
         * @example {
         *       "runId": "run_01JABCDEFGHJKMNPQRSTVWXYZ0",
         *       "chatId": "chat_01JABCDEFGHJKMNPQRSTVWXYZ0",
         *       "sessionId": "sess_01JABCDEFGHJKMNPQRSTVWXYZ0"
         *     }
         */
        ChatRunAccepted: {
            runId: string;
            chatId: string;
            sessionId: string;
        };
        StartChatRunRequest: {
            /** @description Plain-text prompt (trimmed; must not be blank). Exactly one of prompt or messages. */
            prompt?: string;
            messages?: components["schemas"]["UIMessage"][];
            /** @description Model id; the server default when omitted. */
            model?: string;
            /**
             * @description session id (`sess_…`)
             * @example sess_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            sessionId?: string;
            /**
             * @description A chat id (`chat_…`) or the id the client gave the chat (as `useChat` does).
             * @example chat_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            chatId?: string;
            /**
             * @description Act for this member account (org keys only).
             * @example acct_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            accountId?: string;
            ifBusy?: components["schemas"]["IfBusy"];
        };
        /**
         * @description `reject` (default): 409 when the chat has an active run. `enqueue`: queue behind it.
         * @enum {string}
         */
        IfBusy: "reject" | "enqueue";
        ChatRunList: {
            runs: components["schemas"]["ChatRunStatus"][];
            /** @description Pass as `cursor` for the next page; null on the last one. */
            nextCursor: string | null;
        };
        ChatRunStatus: {
            runId: string;
            chatId: string;
            sessionId: string;
            status: components["schemas"]["RunStatus"];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            error: components["schemas"]["RunError"];
            /** @description The OpenTelemetry trace (W3C trace id) holding the spans of this run, from its admission through every execution attempt; null when tracing was off or the trace was not sampled. */
            traceId: string | null;
        };
        /** @enum {string} */
        RunStatus: "queued" | "running" | "completed" | "failed" | "cancelled";
        StoredRunEvent: {
            runId: string;
            seq: number;
            /** Format: date-time */
            createdAt: string;
            event: components["schemas"]["RunEvent"];
        };
        /** @description One entry of a run's event log. Every stream is a projection of this log. */
        RunEvent: {
            /** @enum {string} */
            type: "run_status";
            status: components["schemas"]["RunStatus"];
            attempt?: number;
        } | {
            /** @enum {string} */
            type: "text_delta";
            delta: string;
            parentToolCallId?: string;
        } | {
            /** @enum {string} */
            type: "reasoning_start";
            parentToolCallId?: string;
        } | {
            /** @enum {string} */
            type: "reasoning_delta";
            text: string;
            parentToolCallId?: string;
        } | {
            /** @enum {string} */
            type: "tool_call";
            id: string;
            tool: string;
            input?: unknown;
            /** @enum {boolean} */
            client?: true;
            parentToolCallId?: string;
        } | {
            /** @enum {string} */
            type: "tool_result";
            id: string;
            tool: string;
            output: string;
            isError: boolean;
            parentToolCallId?: string;
        } | {
            /** @enum {string} */
            type: "step_finish";
            usage: components["schemas"]["StepUsage"];
            parentToolCallId?: string;
        } | {
            /** @enum {string} */
            type: "step_retry";
            attempt: number;
        } | {
            /** @enum {string} */
            type: "error";
            code: components["schemas"]["RunErrorCode"];
            message: string;
        } | {
            /** @enum {string} */
            type: "done";
        };
        StepUsage: {
            input_tokens: number;
            output_tokens: number;
            cache_read: number;
            cache_write: number;
        };
        ChatTranscript: components["schemas"]["UIMessage"][];
        KeyList: {
            keys: components["schemas"]["ApiKey"][];
        };
        ApiKey: {
            /**
             * @description apiKey id (`key_…`)
             * @example key_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            id: string;
            /**
             * @description account id (`acct_…`)
             * @example acct_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            accountId: string;
            name: string;
            kind: components["schemas"]["ApiKeyKind"];
            /** @description First characters of the secret, for recognising it */
            prefix: string;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            expiresAt: string | null;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            revokedAt: string | null;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            lastUsedAt: string | null;
            /**
             * @description run id (`run_…`)
             * @example run_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            runId: string | null;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            createdAt: string;
        };
        /** @enum {string} */
        ApiKeyKind: "personal" | "org" | "ephemeral";
        CreatedApiKey: {
            key: components["schemas"]["ApiKey"];
            /** @description The key itself. Shown once; only its hash is stored. */
            secret: string;
        };
        CreateKeyRequest: {
            name: string;
            /**
             * Format: date-time
             * @description When the key stops working (ISO 8601); never when omitted.
             */
            expiresAt?: string;
        };
        MemberList: {
            members: components["schemas"]["Account"][];
        };
        Account: {
            /**
             * @description account id (`acct_…`)
             * @example acct_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            id: string;
            name: string;
            /** @enum {string} */
            kind: "personal" | "org";
            /**
             * @description account id (`acct_…`)
             * @example acct_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            orgId: string | null;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            createdAt: string;
        };
        CreateMemberRequest: {
            name: string;
        };
        WebhookEndpointList: {
            endpoints: components["schemas"]["WebhookEndpoint"][];
        };
        WebhookEndpoint: {
            /**
             * @description webhookEndpoint id (`whep_…`)
             * @example whep_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            id: string;
            /**
             * @description account id (`acct_…`)
             * @example acct_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            accountId: string;
            url: string;
            description: string;
            /** @description The message types sent to this endpoint. */
            eventTypes: components["schemas"]["WebhookEventType"][];
            enabled: boolean;
            /** @description Why Runyard disabled the endpoint (deliveries failing for days); null when enabled or disabled by the account. */
            disabledReason: string | null;
            /**
             * Format: date-time
             * @example 2026-12-07T10:00:00.000Z
             */
            lastSuccessAt: string | null;
            /**
             * Format: date-time
             * @description First failed attempt since the last success; null while deliveries succeed.
             * @example 2026-12-07T10:00:00.000Z
             */
            failingSince: string | null;
            /**
             * Format: date-time
             * @example 2026-12-07T10:00:00.000Z
             */
            createdAt: string;
            /**
             * Format: date-time
             * @example 2026-12-07T10:00:00.000Z
             */
            updatedAt: string;
        };
        /**
         * @description `run.completed`, `run.failed`, `run.cancelled`: a run ended with that status. `run.waiting`: a run ended (status `completed`) with client tool calls waiting for their output (`data.pendingToolCalls`); the client answers them in its next request.
         * @enum {string}
         */
        WebhookEventType: "run.completed" | "run.failed" | "run.cancelled" | "run.waiting";
        CreatedWebhookEndpoint: {
            endpoint: components["schemas"]["WebhookEndpoint"];
            /**
             * @description The signing secret (`whsec_` + base64). Shown here only: at creation and when rotated.
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
        };
        CreateWebhookEndpointRequest: {
            /** @description Where messages are POSTed: https (http only to hosts the operator allows, `RUNYARD_WEBHOOK_ALLOW_HOSTS`), no credentials. */
            url: string;
            description?: string;
            /** @description Default: every type. */
            eventTypes?: components["schemas"]["WebhookEventType"][];
            /** @description Default: true. */
            enabled?: boolean;
        };
        UpdateWebhookEndpointRequest: {
            /** @description Where messages are POSTed: https (http only to hosts the operator allows, `RUNYARD_WEBHOOK_ALLOW_HOSTS`), no credentials. */
            url?: string;
            description?: string;
            eventTypes?: components["schemas"]["WebhookEventType"][];
            /** @description Enabling an endpoint Runyard disabled clears its `disabledReason`. */
            enabled?: boolean;
        };
        WebhookDeliveryPage: {
            deliveries: components["schemas"]["WebhookDelivery"][];
            /**
             * @description Pass as `before` for the next (older) page; null on the last one.
             * @example whmsg_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            nextCursor: string | null;
        };
        WebhookDelivery: {
            /**
             * @description The message id, sent as `webhook-id` (the same on every retry and redelivery).
             * @example whmsg_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            id: string;
            /**
             * @description webhookEndpoint id (`whep_…`)
             * @example whep_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            endpointId: string;
            eventType: components["schemas"]["WebhookEventType"];
            /**
             * @description run id (`run_…`)
             * @example run_01JABCDEFGHJKMNPQRSTVWXYZ0
             */
            runId: string;
            status: components["schemas"]["WebhookDeliveryStatus"];
            /** @description Requests sent so far (retries and redeliveries included). */
            attempts: number;
            /** @description HTTP status of the last attempt; null when it got no answer. */
            lastStatusCode: number | null;
            /** @description Why the last attempt failed; null after a success. */
            lastError: string | null;
            /**
             * Format: date-time
             * @example 2026-12-07T10:00:00.000Z
             */
            lastAttemptAt: string | null;
            /**
             * Format: date-time
             * @description When a pending message is tried next.
             * @example 2026-12-07T10:00:00.000Z
             */
            nextAttemptAt: string | null;
            /**
             * Format: date-time
             * @example 2026-12-07T10:00:00.000Z
             */
            succeededAt: string | null;
            /**
             * Format: date-time
             * @example 2026-12-07T10:00:00.000Z
             */
            createdAt: string;
            payload: components["schemas"]["WebhookPayload"];
        };
        /**
         * @description `pending`: not delivered yet (`nextAttemptAt` says when it is tried). `succeeded`: a 2xx answer. `failed`: retries exhausted or the endpoint disabled.
         * @enum {string}
         */
        WebhookDeliveryStatus: "pending" | "succeeded" | "failed";
        /** @description The JSON body of a webhook message. */
        WebhookPayload: components["schemas"]["WebhookRunCompleted"] | components["schemas"]["WebhookRunFailed"] | components["schemas"]["WebhookRunCancelled"] | components["schemas"]["WebhookRunWaiting"];
        /**
         * @example {
         *       "id": "sess_01JABCDEF",
         *       "workspace_id": "ws_01JABCDEF",
         *       "workspace_path": "/Users/tomlord/workspace/personal-project/cometline",
         *       "title": "",
         *       "model_id": "claude-sonnet-4-5",
         *       "provider_id": "anthropic",
         *       "status": "active",
         *       "token_usage": {
         *         "input_tokens": 0,
         *         "output_tokens": 0,
         *         "cache_read": 0,
         *         "cache_write": 0
         *       },
         *       "created_at": 1746880000000,
         *       "updated_at": 1746880000000
         *     }
         */
        CometCodeSession: {
            id: string;
            /** @description Empty for sessions created by other surfaces without a workspace (e.g. repo sessions). */
            workspace_id: string;
            /** @description Absolute path; empty when the session has no workspace. */
            workspace_path: string;
            /** @description Empty until the first message, which sets it. */
            title: string;
            model_id: string;
            provider_id: string;
            /**
             * @description `archived` for archived sessions, `active` in every other lifecycle state.
             * @enum {string}
             */
            status: "active" | "archived";
            token_usage: components["schemas"]["CometCodeTokenUsage"];
            /**
             * Format: int64
             * @description Unix epoch milliseconds.
             */
            created_at: number;
            /**
             * Format: int64
             * @description Unix epoch milliseconds.
             */
            updated_at: number;
        };
        /** @description Token totals. */
        CometCodeTokenUsage: {
            input_tokens: number;
            output_tokens: number;
            cache_read: number;
            cache_write: number;
        };
        /** @description Provide exactly one of `workspace_id` or `workspace_path`. */
        CometCodeCreateSessionRequest: {
            /** @description Registered workspace identifier. */
            workspace_id?: string;
            /** @description Absolute filesystem path for the workspace. */
            workspace_path?: string;
            /** @description Optional model override; defaults to the server default. */
            model_id?: string;
            /** @description Optional provider override; defaults to the model's provider. */
            provider_id?: string;
        };
        CometCodeSessionListResponse: {
            sessions: components["schemas"]["CometCodeSession"][];
        };
        CometCodeDeletedSession: {
            id: string;
            /** @enum {boolean} */
            deleted: true;
        };
        /**
         * @example {
         *       "session_id": "sess_01JABCDEF",
         *       "items": [
         *         {
         *           "type": "user",
         *           "text": "Inspect the entrypoint."
         *         },
         *         {
         *           "type": "reasoning",
         *           "text": "I should inspect the entrypoint before changing the server wiring."
         *         },
         *         {
         *           "type": "tool",
         *           "tool_name": "read_file",
         *           "tool_input": {
         *             "path": "main.go"
         *           },
         *           "tool_output": "package main",
         *           "tool_error": false
         *         },
         *         {
         *           "type": "assistant",
         *           "text": "I found the serve command entrypoint."
         *         }
         *       ]
         *     }
         */
        CometCodeTranscriptResponse: {
            session_id: string;
            items: components["schemas"]["CometCodeTranscriptItem"][];
        };
        CometCodeTranscriptItem: {
            /** @enum {string} */
            type: "user" | "reasoning" | "assistant" | "tool";
            /** @description For `user`, `reasoning` and `assistant` items. */
            text?: string;
            tool_name?: string;
            /** @description Opaque JSON tool input. */
            tool_input?: unknown;
            /** @description The recorded output as text (JSON-encoded when structured; the error text when it failed). */
            tool_output?: string;
            tool_error?: boolean;
        };
        /** @description One JSON event per SSE `data:` frame. */
        CometCodeStreamEvent: {
            /** @enum {string} */
            type: "text_delta";
            delta: string;
        } | {
            /** @enum {string} */
            type: "reasoning_start";
        } | {
            /** @enum {string} */
            type: "reasoning_delta";
            text: string;
        } | {
            /** @enum {string} */
            type: "tool_call";
            id: string;
            tool: string;
            /** @description Opaque JSON. */
            input: string | number | boolean | null | unknown[] | {
                [key: string]: unknown;
            };
        } | {
            /** @enum {string} */
            type: "tool_result";
            id: string;
            tool: string;
            output: string;
        } | {
            /** @enum {string} */
            type: "step_finish";
            usage: components["schemas"]["CometCodeTokenUsage"];
        } | {
            /** @enum {string} */
            type: "error";
            message: string;
            code: string;
        } | {
            /** @enum {string} */
            type: "done";
        };
        /**
         * @example {
         *       "text": "Inspect the server package and summarize the next change."
         *     }
         */
        CometCodePostMessageRequest: {
            /** @description Text-only user input (not blank). */
            text: string;
        };
        /**
         * @example {
         *       "status": "aborting"
         *     }
         */
        CometCodeStatusResponse: {
            status: string;
        };
        /** @description A response: the Responses API view of one Runyard run. */
        Response: {
            /** @description Response id (`resp_…`). */
            id: string;
            /** @enum {string} */
            object: "response";
            /** @description Unix time (seconds). */
            created_at: number;
            completed_at: number | null;
            status: components["schemas"]["ResponseStatus"];
            background: boolean;
            /** @description The model the run uses (`"default"` resolved to the configured model). */
            model: string;
            output: components["schemas"]["ResponsesOutputItem"][];
            /** @description All `output_text` parts of the output messages, concatenated (equals the concatenated `response.output_text.delta`s). */
            output_text: string;
            usage: components["schemas"]["ResponsesUsage"];
            error: components["schemas"]["ResponsesError"];
            incomplete_details: null;
            instructions: string | null;
            /** @description As given on create (`{}` when none). */
            metadata: {
                [key: string]: string;
            };
            previous_response_id: string | null;
            store: boolean;
            parallel_tool_calls: boolean;
            tool_choice: components["schemas"]["ResponsesToolChoice"];
            /** @description The client's own tools offered to the model (the agent's server-side tools are not listed). */
            tools: components["schemas"]["ResponsesFunctionToolDefinition"][];
            /** @description As given on create, else 1. */
            temperature: number;
            /** @description As given on create, else 1. */
            top_p: number;
            presence_penalty: number;
            frequency_penalty: number;
            top_logprobs: number;
            max_output_tokens: number | null;
            max_tool_calls: number | null;
            service_tier: components["schemas"]["ResponsesServiceTier"];
            safety_identifier: string | null;
            prompt_cache_key: string | null;
            /** @enum {string} */
            truncation: "auto" | "disabled";
            text: {
                format: {
                    /** @enum {string} */
                    type: "text";
                };
            };
            reasoning: components["schemas"]["ResponsesReasoningConfig"];
            access_programs: null;
            /** @description Runyard extension: the run behind this response, usable on the other surfaces (console, `/api/chat/runs/{runId}`). */
            x_runyard: {
                run_id: string;
                session_id: string;
                chat_id: string;
            };
        };
        /**
         * @description Run states as Responses names them (`running` is `in_progress`). `incomplete` is reserved; Runyard does not currently produce it.
         * @enum {string}
         */
        ResponseStatus: "queued" | "in_progress" | "completed" | "failed" | "cancelled" | "incomplete";
        ResponsesOutputItem: components["schemas"]["ResponsesOutputMessage"] | components["schemas"]["ResponsesFunctionCall"] | components["schemas"]["ResponsesFunctionCallOutput"] | components["schemas"]["ResponsesReasoning"];
        /** @description Assistant text. */
        ResponsesOutputMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "message";
            id: string;
            /** @enum {string} */
            role: "assistant";
            /** @enum {string} */
            status: "in_progress" | "completed" | "incomplete";
            content: components["schemas"]["ResponsesOutputText"][];
        };
        ResponsesOutputText: {
            /** @enum {string} */
            type: "output_text";
            text: string;
            /** @description Always empty. */
            annotations: unknown[];
            /** @description Always empty. */
            logprobs: unknown[];
        };
        /** @description A tool call the model made (`arguments` is a JSON string). A call of one of the client's own tools ends the response: run it and send its `function_call_output`. A call of one of the agent's server-side tools is followed by its `function_call_output` item: it already ran. */
        ResponsesFunctionCall: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "function_call";
            id: string;
            call_id: string;
            name: string;
            arguments: string;
            /** @enum {string} */
            status: "in_progress" | "completed" | "incomplete";
        };
        /** @description The result of a server-side tool call (paired with its `function_call` by `call_id`). Informational: never send it back. */
        ResponsesFunctionCallOutput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "function_call_output";
            id: string;
            call_id: string;
            name: string;
            output: string;
            /** @enum {string} */
            status: "in_progress" | "completed" | "incomplete";
        };
        /** @description Reasoning text the model exposed. */
        ResponsesReasoning: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "reasoning";
            id: string;
            /** @description Always empty. */
            summary: unknown[];
            content: components["schemas"]["ResponsesReasoningText"][];
            /** @enum {string} */
            status: "in_progress" | "completed" | "incomplete";
        };
        ResponsesReasoningText: {
            /** @enum {string} */
            type: "reasoning_text";
            text: string;
        };
        /** @description Token totals of the completed model steps so far. */
        ResponsesUsage: {
            input_tokens: number;
            input_tokens_details: {
                cached_tokens: number;
                cache_write_tokens: number;
            };
            output_tokens: number;
            output_tokens_details: {
                reasoning_tokens: number;
            };
            total_tokens: number;
        };
        /** @description Why the response failed. */
        ResponsesError: {
            /** @enum {string} */
            code: "server_error";
            message: string;
            /** @description Runyard's run error code: `llm`, `tool`, `sandbox`, `timeout`, `worker_lost` or `internal`. */
            type: string | null;
            param: null;
        } | null;
        /** @description `auto` (default), `none`, `required`, or `{type:"function", name}` to make the model call that client tool. */
        ResponsesToolChoice: ("none" | "auto" | "required") | {
            /** @enum {string} */
            type: "function";
            name: string;
        };
        ResponsesFunctionToolDefinition: {
            /** @enum {string} */
            type: "function";
            name: string;
            description: string | null;
            parameters: {
                [key: string]: unknown;
            } | null;
            strict: boolean | null;
        };
        /**
         * @description Accepted and reported (Runyard has one tier).
         * @enum {string}
         */
        ResponsesServiceTier: "auto" | "default" | "flex" | "scale" | "priority";
        /** @description Accepted and reported. */
        ResponsesReasoningConfig: {
            /** @enum {string|null} */
            effort?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max" | null;
            /** @enum {string|null} */
            summary?: "auto" | "concise" | "detailed" | null;
        } | null;
        /** @description One server-sent event (`event: <type>`, `data: <this JSON>`). */
        ResponseStreamEvent: {
            /** @enum {string} */
            type: "response.created";
            response: components["schemas"]["Response"];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.in_progress";
            response: components["schemas"]["Response"];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.completed";
            response: components["schemas"]["Response"];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.failed";
            response: components["schemas"]["Response"];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.incomplete";
            response: components["schemas"]["Response"];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "runyard:response.cancelled";
            response: components["schemas"]["Response"];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.output_item.added";
            output_index: number;
            item: components["schemas"]["ResponsesOutputItem"];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.output_item.done";
            output_index: number;
            item: components["schemas"]["ResponsesOutputItem"];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.content_part.added";
            item_id: string;
            output_index: number;
            content_index: number;
            part: components["schemas"]["ResponsesOutputText"] | components["schemas"]["ResponsesReasoningText"];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.content_part.done";
            item_id: string;
            output_index: number;
            content_index: number;
            part: components["schemas"]["ResponsesOutputText"] | components["schemas"]["ResponsesReasoningText"];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.output_text.delta";
            item_id: string;
            output_index: number;
            content_index: number;
            delta: string;
            /** @description Always empty. */
            logprobs: unknown[];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.output_text.done";
            item_id: string;
            output_index: number;
            content_index: number;
            text: string;
            /** @description Always empty. */
            logprobs: unknown[];
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.reasoning.delta";
            item_id: string;
            output_index: number;
            content_index: number;
            delta: string;
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.reasoning.done";
            item_id: string;
            output_index: number;
            content_index: number;
            text: string;
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.function_call_arguments.delta";
            item_id: string;
            output_index: number;
            delta: string;
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "response.function_call_arguments.done";
            item_id: string;
            output_index: number;
            name: string;
            arguments: string;
            sequence_number: number;
        } | {
            /** @enum {string} */
            type: "error";
            error: {
                type: string;
                code: string | null;
                message: string;
                param: string | null;
            };
            code: string | null;
            message: string;
            param: string | null;
            sequence_number: number;
        };
        /**
         * @description OpenAI-compatible error.
         * @example {
         *       "error": {
         *         "message": "Unknown model \"x\"",
         *         "type": "invalid_request_error",
         *         "param": "model",
         *         "code": "model_not_found"
         *       }
         *     }
         */
        OpenAIError: {
            error: {
                message: string;
                type: string;
                param: string | null;
                code: string | null;
            };
        };
        /** @description Other OpenAI request fields are accepted and ignored. */
        CreateResponseRequest: {
            /** @description `"default"` (the server's configured model) or any model id the server knows. Unknown models answer 400 with `param: "model"`. */
            model: string;
            /** @description A string (the user turn), or input items: messages (text, `input_image`, `input_file`), and `function_call` / `function_call_output` items of the client's tools. It needs a user message or a `function_call_output`. */
            input: string | components["schemas"]["ResponsesInputItemParam"][];
            /** @description Extra system instructions for this response only (not carried over by `previous_response_id`). */
            instructions?: string | null;
            /** @description `true`: answer with server-sent events (Open Responses event names, increasing `sequence_number`, ending with `data: [DONE]`). */
            stream?: boolean | null;
            /** @description `true`: answer at once with status `queued`; the run continues on the engine. Poll, stream or cancel it by id. */
            background?: boolean | null;
            /** @description Default `true`. `false`: the response id is not registered, so it cannot be retrieved, cancelled, deleted or continued later (not allowed with `background`). */
            store?: boolean | null;
            /** @description Continue the conversation of this response (the same chat: the agent sees every earlier turn). Unknown or not owned: 404 `previous_response_not_found`. */
            previous_response_id?: string | null;
            metadata?: components["schemas"]["ResponsesMetadata"];
            /** @description Structured, machine-readable context for this turn (Runyard extension). It is prepended to the user message as one readable line, e.g. `[Context: notification_response — notification_id: msg_123, action: approved]`, and stored in that message's `metadata.x_context`. */
            x_context?: {
                [key: string]: unknown;
            } | null;
            /** @description The client's own `function` tools, offered to the model beside the agent's server-side tools (names must differ from those). */
            tools?: components["schemas"]["ResponsesFunctionTool"][] | null;
            tool_choice?: components["schemas"]["ResponsesToolChoice"];
            /** @description Whether the model may call several tools in one step. */
            parallel_tool_calls?: boolean | null;
            temperature?: number | null;
            top_p?: number | null;
            max_output_tokens?: number | null;
            presence_penalty?: number | null;
            frequency_penalty?: number | null;
            /** @description Accepted and reported; Runyard returns no log probabilities. */
            top_logprobs?: number | null;
            /** @description Accepted and reported; the agent's step budget (`RUNYARD_MAX_STEPS`) bounds its tool calls. */
            max_tool_calls?: number | null;
            service_tier?: components["schemas"]["ResponsesServiceTier"] & (string | null);
            safety_identifier?: string | null;
            prompt_cache_key?: string | null;
            /** @enum {string|null} */
            truncation?: "auto" | "disabled" | null;
            /** @description Only text output (`{format:{type:"text"}}`). */
            text?: {
                format?: {
                    /** @enum {string} */
                    type: "text";
                };
            } | null;
            reasoning?: components["schemas"]["ResponsesReasoningConfig"];
        };
        ResponsesInputItemParam: components["schemas"]["ResponsesFunctionCallInput"] | components["schemas"]["ResponsesFunctionCallOutputInput"] | components["schemas"]["ResponsesReasoningInput"] | components["schemas"]["ResponsesInputMessage"];
        /** @description A call the model made to one of the client's tools (sent back inline with its output). */
        ResponsesFunctionCallInput: {
            /** @enum {string} */
            type: "function_call";
            call_id: string;
            name: string;
            /** @description The call's arguments, a JSON string. */
            arguments: string;
            id?: string;
            status?: string;
        };
        /** @description The output of a client tool call: of a `function_call` earlier in this `input`, or of the pending call of the conversation `previous_response_id` continues. */
        ResponsesFunctionCallOutputInput: {
            /** @enum {string} */
            type: "function_call_output";
            call_id: string;
            /** @description What the client's tool returned. */
            output: string | components["schemas"]["ResponsesInputContentPart"][];
            id?: string;
            status?: string;
        };
        ResponsesInputContentPart: {
            /** @description `input_text`, `input_image` or `input_file` (user, system, developer); `output_text` (assistant). */
            type: string;
            text?: string;
            /** @description `input_image`: an http(s) URL or a `data:image/…;base64,` URL. */
            image_url?: string | null;
            /**
             * @description `input_image`: the detail level the model sees it at (default `auto`).
             * @enum {string}
             */
            detail?: "low" | "high" | "auto";
            /** @description `input_file`: the file as base64, or a `data:<type>;base64,` URL. With plain base64, `filename` gives the type. */
            file_data?: string;
            /** @description `input_file`: an http(s) URL of the file. */
            file_url?: string;
            filename?: string;
            /** @description Not supported (Runyard has no Files API): send `file_data` or `file_url`. */
            file_id?: string;
        };
        /** @description A reasoning item sent back with the history: accepted and not shown to the model again. */
        ResponsesReasoningInput: {
            /** @enum {string} */
            type: "reasoning";
        } & {
            [key: string]: unknown;
        };
        /** @description One input message. `system`/`developer` messages are kept in the transcript as system messages. */
        ResponsesInputMessage: {
            /** @enum {string} */
            type?: "message";
            /** @enum {string} */
            role: "user" | "assistant" | "system" | "developer";
            content: string | components["schemas"]["ResponsesInputContentPart"][];
            id?: string;
            status?: string;
        };
        /** @description Up to 16 string key/value pairs (keys ≤ 64 chars, values ≤ 512 chars), returned as given. */
        ResponsesMetadata: {
            [key: string]: string;
        } | null;
        /** @description A tool the client runs itself. When the model calls it, the response ends with a `function_call` item; send its `function_call_output` to continue. */
        ResponsesFunctionTool: {
            /** @enum {string} */
            type: "function";
            name: string;
            description?: string | null;
            /** @description The arguments' JSON Schema (default: an object with no properties). */
            parameters?: {
                [key: string]: unknown;
            } | null;
            strict?: boolean | null;
        };
        DeletedResponse: {
            id: string;
            /** @enum {string} */
            object: "response.deleted";
            /** @enum {boolean} */
            deleted: true;
        };
        ResponsesInputItemList: {
            /** @enum {string} */
            object: "list";
            data: components["schemas"]["ResponsesInputItem"][];
            first_id: string | null;
            last_id: string | null;
            has_more: boolean;
        };
        ResponsesInputItem: {
            /** @enum {string} */
            type: "message";
            id: string;
            /** @enum {string} */
            role: "user" | "system" | "developer";
            /** @enum {string} */
            status: "completed";
            content: ({
                /** @enum {string} */
                type: "input_text";
                text: string;
            } | {
                /** @enum {string} */
                type: "input_image";
                image_url: string;
                /** @enum {string} */
                detail: "low" | "high" | "auto";
            } | {
                /** @enum {string} */
                type: "input_file";
                filename: string | null;
                file_url: string;
            })[];
        } | components["schemas"]["ResponsesOutputMessage"] | {
            /** @enum {string} */
            type: "function_call";
            id: string;
            call_id: string;
            name: string;
            arguments: string;
            /** @enum {string} */
            status: "completed";
        } | {
            /** @enum {string} */
            type: "function_call_output";
            id: string;
            call_id: string;
            output: string;
            /** @enum {string} */
            status: "completed";
        };
        ModelList: {
            /** @enum {string} */
            object: "list";
            data: components["schemas"]["Model"][];
        };
        /** @description A model agents run with (`owned_by`: its provider; `default` is the configured default). */
        Model: {
            id: string;
            /** @enum {string} */
            object: "model";
            created: number;
            owned_by: string;
        };
        ChatCompletion: {
            id: string;
            /** @enum {string} */
            object: "chat.completion";
            created: number;
            model: string;
            choices: {
                /** @enum {number} */
                index: 0;
                message: {
                    /** @enum {string} */
                    role: "assistant";
                    content: string | null;
                    refusal: null;
                    tool_calls?: {
                        id: string;
                        /** @enum {string} */
                        type: "function";
                        function: {
                            name: string;
                            arguments: string;
                        };
                    }[];
                };
                /** @enum {string} */
                finish_reason: "stop" | "tool_calls";
                logprobs: null;
            }[];
            usage: {
                prompt_tokens: number;
                completion_tokens: number;
                total_tokens: number;
                prompt_tokens_details: {
                    cached_tokens: number;
                };
            };
        };
        ChatCompletionChunk: {
            id: string;
            /** @enum {string} */
            object: "chat.completion.chunk";
            created: number;
            model: string;
            choices: {
                /** @enum {number} */
                index: 0;
                delta: {
                    /** @enum {string} */
                    role?: "assistant";
                    content?: string;
                    tool_calls?: {
                        id: string;
                        /** @enum {string} */
                        type: "function";
                        function: {
                            name: string;
                            arguments: string;
                        };
                        index: number;
                    }[];
                };
                /** @enum {string|null} */
                finish_reason: "stop" | "tool_calls" | null;
                logprobs: null;
            }[];
            usage?: {
                prompt_tokens: number;
                completion_tokens: number;
                total_tokens: number;
                prompt_tokens_details: {
                    cached_tokens: number;
                };
            } | null;
        };
        /** @description Other OpenAI request fields are accepted and ignored. */
        ChatCompletionRequest: {
            /** @description `"default"` or any model id the server knows (see GET /v1/models). */
            model: string;
            messages: components["schemas"]["ChatCompletionsMessage"][];
            stream?: boolean | null;
            stream_options?: {
                include_usage?: boolean;
            } | null;
            tools?: components["schemas"]["ChatCompletionsTool"][] | null;
            tool_choice?: ("none" | "auto" | "required") | {
                /** @enum {string} */
                type: "function";
                function: {
                    name: string;
                };
            } | null;
            parallel_tool_calls?: boolean | null;
            temperature?: number | null;
            top_p?: number | null;
            max_tokens?: number | null;
            max_completion_tokens?: number | null;
            presence_penalty?: number | null;
            frequency_penalty?: number | null;
            /**
             * @description Only 1 (one choice).
             * @enum {number|null}
             */
            n?: 1 | null;
            /** @enum {string|null} */
            reasoning_effort?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max" | null;
        };
        ChatCompletionsMessage: {
            /** @enum {string} */
            role: "system";
            content: string | components["schemas"]["ChatCompletionsContentPart"][];
            name?: string;
        } | {
            /** @enum {string} */
            role: "developer";
            content: string | components["schemas"]["ChatCompletionsContentPart"][];
            name?: string;
        } | {
            /** @enum {string} */
            role: "user";
            content: string | components["schemas"]["ChatCompletionsContentPart"][];
            name?: string;
        } | {
            /** @enum {string} */
            role: "assistant";
            content?: string | components["schemas"]["ChatCompletionsContentPart"][] | null;
            tool_calls?: {
                id: string;
                /** @enum {string} */
                type: "function";
                function: {
                    name: string;
                    arguments: string;
                };
            }[];
            name?: string;
        } | {
            /** @enum {string} */
            role: "tool";
            content: string | components["schemas"]["ChatCompletionsContentPart"][];
            tool_call_id: string;
        };
        ChatCompletionsContentPart: {
            /**
             * @description `text`, `image_url` or `file` (user messages); `text` elsewhere.
             * @enum {string}
             */
            type: "text" | "image_url" | "file";
            text?: string;
            image_url?: {
                url: string;
                /** @enum {string} */
                detail?: "low" | "high" | "auto";
            };
            file?: {
                file_data?: string;
                filename?: string;
                file_id?: string;
            };
        };
        /** @description A tool the client runs itself: when the model calls it, the completion ends with `tool_calls` (`finish_reason: "tool_calls"`). */
        ChatCompletionsTool: {
            /** @enum {string} */
            type: "function";
            function: {
                name: string;
                description?: string;
                parameters?: {
                    [key: string]: unknown;
                };
                strict?: boolean | null;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server is healthy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok"
                     *     }
                     */
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: {
                /** @description Sessions per page (default 200). */
                limit?: number;
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Sessions of the caller, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListSessionsResponse"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    createSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSessionRequest"];
            };
        };
        responses: {
            /** @description Session and its first chat */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateSessionResponse"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The request body is larger than the limit (10 MiB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Session id (`sess_…`) */
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetSessionResponse"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    deleteSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Session id (`sess_…`) */
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletedSessionResponse"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    archiveSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Session id (`sess_…`) */
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The archived session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetSessionResponse"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    chatTurn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChatTurnRequest"];
            };
        };
        responses: {
            /**
             * @description The turn, streamed
             *
             *     AI SDK UI-message stream (`x-vercel-ai-ui-message-stream: v1`): one `data: <UIMessageChunk JSON>` frame per chunk, `id:` = the run event seq on every frame, ending with `data: [DONE]`.
             */
            200: {
                headers: {
                    /** @description The run executing this turn (read its status with GET /api/chat/runs/{runId}) */
                    "x-workflow-run-id"?: string;
                    /** @description The same run id */
                    "x-runyard-run-id"?: string;
                    /** @description The chat (`chat_…`; created when the request named none or a new client id) */
                    "x-runyard-chat-id"?: string;
                    /** @description The chat's session */
                    "x-runyard-session-id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["UIMessageChunk"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Conflict: the chat already has an active run (`chat_busy`), or its session is archived (`session_archived`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The request body is larger than the limit (10 MiB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description A rate limit or the concurrent-run quota was reached (`rate_limited`); `Retry-After` says in how many seconds to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    listChatRuns: {
        parameters: {
            query?: {
                status?: components["schemas"]["RunStatus"];
                /** @description Only runs of this chat (its id or client id). */
                chatId?: string;
                /** @description session id (`sess_…`) */
                sessionId?: string;
                /** @description Only runs created at or after this time (ISO 8601). */
                createdAfter?: string;
                /** @description Only runs created before this time (ISO 8601). */
                createdBefore?: string;
                /** @description Runs per page (default 50). */
                limit?: number;
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of runs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatRunList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    startChatRun: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartChatRunRequest"];
            };
        };
        responses: {
            /** @description Run accepted */
            202: {
                headers: {
                    /** @description The run status resource: /api/chat/runs/{runId} */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatRunAccepted"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Conflict: the chat already has an active run (`chat_busy`), or its session is archived (`session_archived`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The request body is larger than the limit (10 MiB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description A rate limit or the concurrent-run quota was reached (`rate_limited`); `Retry-After` says in how many seconds to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    getChatRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Run id (`run_…`) returned by POST /api/chat/runs */
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Run status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatRunStatus"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    cancelChatRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Run id (`run_…`) returned by POST /api/chat/runs */
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run after the cancel request */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatRunStatus"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    getChatRunEvents: {
        parameters: {
            query?: {
                /** @description Replay events after this seq (Last-Event-ID takes precedence). */
                after?: number | null;
            };
            header?: never;
            path: {
                /** @description Run id (`run_…`) returned by POST /api/chat/runs */
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /**
             * @description The event log
             *
             *     One `id: <seq>` + `data: <StoredRunEvent JSON>` frame per event; the stream ends after the `done` event.
             */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["StoredRunEvent"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    resumeChatStream: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A chat id (`chat_…`) or the id the client gave the chat (as `useChat` does). */
                chatId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /**
             * @description The active run, streamed
             *
             *     AI SDK UI-message stream (`x-vercel-ai-ui-message-stream: v1`): one `data: <UIMessageChunk JSON>` frame per chunk, `id:` = the run event seq on every frame, ending with `data: [DONE]`.
             */
            200: {
                headers: {
                    /** @description The run being streamed */
                    "x-runyard-run-id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["UIMessageChunk"];
                };
            };
            /** @description No run is active on this chat */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    getChatMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A chat id (`chat_…`) or the id the client gave the chat (as `useChat` does). */
                chatId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The transcript: a JSON array of UIMessages (empty for a chat not started yet) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatTranscript"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    listKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    createKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateKeyRequest"];
            };
        };
        responses: {
            /** @description The key and its secret (shown once) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The request body is larger than the limit (10 MiB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    revokeKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description apiKey id (`key_…`) */
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    listOrgMembers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The members */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    createOrgMember: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateMemberRequest"];
            };
        };
        responses: {
            /** @description The new member */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The request body is larger than the limit (10 MiB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    removeOrgMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description account id (`acct_…`) */
                accountId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The former member */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    listWebhookEndpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoints */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    createWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookEndpointRequest"];
            };
        };
        responses: {
            /** @description The endpoint and its signing secret (shown once) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookEndpoint"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The request body is larger than the limit (10 MiB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    getWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description webhookEndpoint id (`whep_…`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    deleteWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description webhookEndpoint id (`whep_…`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deleted endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    updateWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description webhookEndpoint id (`whep_…`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhookEndpointRequest"];
            };
        };
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The request body is larger than the limit (10 MiB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description webhookEndpoint id (`whep_…`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint and its new secret (shown once) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookEndpoint"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description Messages per page (default 50). */
                limit?: number;
                /** @description The `nextCursor` of the previous page. */
                before?: string;
            };
            header?: never;
            path: {
                /** @description webhookEndpoint id (`whep_…`) */
                endpointId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the log */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPage"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    redeliverWebhookMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description webhookEndpoint id (`whep_…`) */
                endpointId: string;
                /** @description webhookMessage id (`whmsg_…`) */
                messageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The message, pending again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Conflict: the chat already has an active run (`chat_busy`), or its session is archived (`session_archived`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RestError"];
                };
            };
        };
    };
    cometcodeListSessions: {
        parameters: {
            query?: {
                /** @description Registered workspace identifier. */
                workspace_id?: string;
                /** @description Absolute path of an already-registered workspace. */
                workspace_path?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Sessions for the requested workspace */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeSessionListResponse"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
        };
    };
    cometcodeCreateSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CometCodeCreateSessionRequest"];
            };
        };
        responses: {
            /** @description Session created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeSession"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description The request body is larger than the limit (10 MiB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
        };
    };
    cometcodeGetSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Session identifier (`sess_…`). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Session resource */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeSession"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
        };
    };
    cometcodeDeleteSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Session identifier (`sess_…`). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeDeletedSession"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
        };
    };
    cometcodeGetSessionMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Session identifier (`sess_…`). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Transcript items for the session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeTranscriptResponse"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
        };
    };
    cometcodePostSessionMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Session identifier (`sess_…`). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CometCodePostMessageRequest"];
            };
        };
        responses: {
            /**
             * @description SSE event stream
             *
             *     `text/event-stream` of `data:` frames, one JSON object each (schema: `CometCodeStreamEvent`), in this vocabulary:
             *     `{"type":"text_delta","delta"}`, `{"type":"reasoning_start"}`, `{"type":"reasoning_delta","text"}`,
             *     `{"type":"tool_call","id","tool","input"}` (input is opaque JSON), `{"type":"tool_result","id","tool","output"}` (output is text),
             *     `{"type":"step_finish","usage":{"input_tokens","output_tokens","cache_read","cache_write"}}`, `{"type":"error","message","code"}`
             *     and a final `{"type":"done"}`. A failed run sends `error` (code `llm`, `tool`, `sandbox`, `timeout`, `worker_lost`, `internal`) before `done`;
             *     an aborted one `{"type":"error","code":"cancelled"}` then `done`. Sub-agent activity is summarised by its `task` tool frames
             *     (only its `step_finish` usage is forwarded). If the worker executing the run is lost mid-step, another one redoes that step,
             *     so its partial output may be streamed twice; the transcript keeps it once. Example:
             *
             *         data: {"type":"tool_call","id":"tc_01","tool":"read_file","input":{"path":"main.go"}}
             *
             *         data: {"type":"tool_result","id":"tc_01","tool":"read_file","output":"package main"}
             *
             *         data: {"type":"text_delta","delta":"The entrypoint is main.go."}
             *
             *         data: {"type":"step_finish","usage":{"input_tokens":1200,"output_tokens":340,"cache_read":0,"cache_write":0}}
             *
             *         data: {"type":"done"}
             */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["CometCodeStreamEvent"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description The session already has an in-flight run (of any kind: this API, `POST /api/chat`, `POST /api/chat/runs`, `/v1/responses`): code `session_running`. Also code `session_archived` when the session is archived (no new turns). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "session_running",
                     *         "message": "session sess_01JABCDEF already running"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description The request body is larger than the limit (10 MiB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description A rate limit or the concurrent-run quota was reached (`rate_limited`); `Retry-After` says in how many seconds to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
        };
    };
    cometcodeAbortSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Session identifier (`sess_…`). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Abort accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "aborting"
                     *     }
                     */
                    "application/json": components["schemas"]["CometCodeStatusResponse"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Session is not currently running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "session_not_running",
                     *         "message": "session is not currently running"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CometCodeError"];
                };
            };
        };
    };
    createResponse: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateResponseRequest"];
            };
        };
        responses: {
            /**
             * @description The response (`application/json`), finished, or queued/in progress for `background` or after the timeout.
             *
             *     With `stream: true` (create) or `?stream=true` (retrieve) the answer is `text/event-stream`: each event is `event: <type>` + `id: <sequence_number>` + `data: <JSON>`, with a strictly increasing `sequence_number` starting at 0. The stream is a deterministic projection of the run's durable event log, so `GET /v1/responses/{id}?stream=true&starting_after=N` (or `Last-Event-ID: N`) yields exactly the events after N.
             *
             *     Order: `response.created` (status `queued`) → `response.in_progress` when the run starts → per output item `response.output_item.added` … `response.output_item.done`:
             *     - assistant text: `response.content_part.added`, `response.output_text.delta`…, `response.output_text.done`, `response.content_part.done`;
             *     - tool call: `response.function_call_arguments.delta`, `response.function_call_arguments.done` (item `function_call`), then its result as a `function_call_output` item;
             *     - reasoning: `response.content_part.added`, `response.reasoning_text.delta`…, `response.reasoning_text.done`, `response.content_part.done`;
             *
             *     → one terminal event carrying the final response: `response.completed`, `response.failed` (with `response.error`) or `response.cancelled`. A server-side failure of the stream itself is an `error` event. Disconnecting does not stop the run.
             */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "resp_01JZ8Q6W3M4K2N5P7R9T1V3X5Z",
                     *       "object": "response",
                     *       "created_at": 1767225600,
                     *       "completed_at": 1767225604,
                     *       "status": "completed",
                     *       "background": false,
                     *       "model": "gpt-5-mini",
                     *       "output": [
                     *         {
                     *           "type": "function_call",
                     *           "id": "fc_01JZ8Q6W3M4K2N5P7R9T1V3X5Z_4",
                     *           "call_id": "call_a1",
                     *           "name": "bash",
                     *           "arguments": "{\"command\":\"ls\"}",
                     *           "status": "completed"
                     *         },
                     *         {
                     *           "type": "function_call_output",
                     *           "id": "fco_01JZ8Q6W3M4K2N5P7R9T1V3X5Z_5",
                     *           "call_id": "call_a1",
                     *           "name": "bash",
                     *           "output": "README.md\nsrc",
                     *           "status": "completed"
                     *         },
                     *         {
                     *           "type": "message",
                     *           "id": "msg_01JZ8Q6W3M4K2N5P7R9T1V3X5Z_7",
                     *           "role": "assistant",
                     *           "status": "completed",
                     *           "content": [
                     *             {
                     *               "type": "output_text",
                     *               "text": "The repository has a README and a src folder.",
                     *               "annotations": [],
                     *               "logprobs": []
                     *             }
                     *           ]
                     *         }
                     *       ],
                     *       "output_text": "The repository has a README and a src folder.",
                     *       "usage": {
                     *         "input_tokens": 812,
                     *         "input_tokens_details": {
                     *           "cached_tokens": 512,
                     *           "cache_write_tokens": 0
                     *         },
                     *         "output_tokens": 41,
                     *         "output_tokens_details": {
                     *           "reasoning_tokens": 0
                     *         },
                     *         "total_tokens": 853
                     *       },
                     *       "error": null,
                     *       "incomplete_details": null,
                     *       "instructions": null,
                     *       "metadata": {
                     *         "ticket": "SUP-42"
                     *       },
                     *       "previous_response_id": null,
                     *       "store": true,
                     *       "tools": [],
                     *       "tool_choice": "auto",
                     *       "parallel_tool_calls": true,
                     *       "temperature": 1,
                     *       "top_p": 1,
                     *       "presence_penalty": 0,
                     *       "frequency_penalty": 0,
                     *       "top_logprobs": 0,
                     *       "max_output_tokens": null,
                     *       "max_tool_calls": null,
                     *       "service_tier": "default",
                     *       "safety_identifier": null,
                     *       "prompt_cache_key": null,
                     *       "truncation": "disabled",
                     *       "text": {
                     *         "format": {
                     *           "type": "text"
                     *         }
                     *       },
                     *       "reasoning": null,
                     *       "access_programs": null,
                     *       "x_runyard": {
                     *         "run_id": "run_01JZ8Q6W3M4K2N5P7R9T1V3X5Z",
                     *         "session_id": "sess_01JZ8Q6W2Y0B1C2D3E4F5G6H7J",
                     *         "chat_id": "chat_01JZ8Q6W2Y8K9M0N1P2Q3R4S5T"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Response"];
                    "text/event-stream": components["schemas"]["ResponseStreamEvent"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Conflict: the chat already has an active run (`chat_busy`), or its session is archived (`session_archived`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description The request body is larger than the limit (10 MiB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description A rate limit or the concurrent-run quota was reached (`rate_limited`); `Retry-After` says in how many seconds to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
        };
    };
    getResponse: {
        parameters: {
            query?: {
                /** @description `true`: stream the response as server-sent events (replayed from the log, then live). */
                stream?: "true" | "false";
                /** @description With `stream=true`: only events whose `sequence_number` is greater. */
                starting_after?: number | null;
            };
            header?: never;
            path: {
                /** @description response id (`resp_…`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /**
             * @description The response (`application/json`), or its event stream with `stream=true`.
             *
             *     With `stream: true` (create) or `?stream=true` (retrieve) the answer is `text/event-stream`: each event is `event: <type>` + `id: <sequence_number>` + `data: <JSON>`, with a strictly increasing `sequence_number` starting at 0. The stream is a deterministic projection of the run's durable event log, so `GET /v1/responses/{id}?stream=true&starting_after=N` (or `Last-Event-ID: N`) yields exactly the events after N.
             *
             *     Order: `response.created` (status `queued`) → `response.in_progress` when the run starts → per output item `response.output_item.added` … `response.output_item.done`:
             *     - assistant text: `response.content_part.added`, `response.output_text.delta`…, `response.output_text.done`, `response.content_part.done`;
             *     - tool call: `response.function_call_arguments.delta`, `response.function_call_arguments.done` (item `function_call`), then its result as a `function_call_output` item;
             *     - reasoning: `response.content_part.added`, `response.reasoning_text.delta`…, `response.reasoning_text.done`, `response.content_part.done`;
             *
             *     → one terminal event carrying the final response: `response.completed`, `response.failed` (with `response.error`) or `response.cancelled`. A server-side failure of the stream itself is an `error` event. Disconnecting does not stop the run.
             */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "resp_01JZ8Q6W3M4K2N5P7R9T1V3X5Z",
                     *       "object": "response",
                     *       "created_at": 1767225600,
                     *       "completed_at": null,
                     *       "status": "queued",
                     *       "background": true,
                     *       "model": "gpt-5-mini",
                     *       "output": [],
                     *       "output_text": "",
                     *       "usage": {
                     *         "input_tokens": 0,
                     *         "input_tokens_details": {
                     *           "cached_tokens": 0,
                     *           "cache_write_tokens": 0
                     *         },
                     *         "output_tokens": 0,
                     *         "output_tokens_details": {
                     *           "reasoning_tokens": 0
                     *         },
                     *         "total_tokens": 0
                     *       },
                     *       "error": null,
                     *       "incomplete_details": null,
                     *       "instructions": null,
                     *       "metadata": {
                     *         "ticket": "SUP-42"
                     *       },
                     *       "previous_response_id": null,
                     *       "store": true,
                     *       "tools": [],
                     *       "tool_choice": "auto",
                     *       "parallel_tool_calls": true,
                     *       "temperature": 1,
                     *       "top_p": 1,
                     *       "presence_penalty": 0,
                     *       "frequency_penalty": 0,
                     *       "top_logprobs": 0,
                     *       "max_output_tokens": null,
                     *       "max_tool_calls": null,
                     *       "service_tier": "default",
                     *       "safety_identifier": null,
                     *       "prompt_cache_key": null,
                     *       "truncation": "disabled",
                     *       "text": {
                     *         "format": {
                     *           "type": "text"
                     *         }
                     *       },
                     *       "reasoning": null,
                     *       "access_programs": null,
                     *       "x_runyard": {
                     *         "run_id": "run_01JZ8Q6W3M4K2N5P7R9T1V3X5Z",
                     *         "session_id": "sess_01JZ8Q6W2Y0B1C2D3E4F5G6H7J",
                     *         "chat_id": "chat_01JZ8Q6W2Y8K9M0N1P2Q3R4S5T"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Response"];
                    "text/event-stream": components["schemas"]["ResponseStreamEvent"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
        };
    };
    deleteResponse: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description response id (`resp_…`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "resp_01JZ8Q6W3M4K2N5P7R9T1V3X5Z",
                     *       "object": "response.deleted",
                     *       "deleted": true
                     *     }
                     */
                    "application/json": components["schemas"]["DeletedResponse"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
        };
    };
    cancelResponse: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description response id (`resp_…`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The response after the cancel request */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "resp_01JZ8Q6W3M4K2N5P7R9T1V3X5Z",
                     *       "object": "response",
                     *       "created_at": 1767225600,
                     *       "completed_at": null,
                     *       "status": "cancelled",
                     *       "background": true,
                     *       "model": "gpt-5-mini",
                     *       "output": [],
                     *       "output_text": "",
                     *       "usage": {
                     *         "input_tokens": 0,
                     *         "input_tokens_details": {
                     *           "cached_tokens": 0,
                     *           "cache_write_tokens": 0
                     *         },
                     *         "output_tokens": 0,
                     *         "output_tokens_details": {
                     *           "reasoning_tokens": 0
                     *         },
                     *         "total_tokens": 0
                     *       },
                     *       "error": null,
                     *       "incomplete_details": null,
                     *       "instructions": null,
                     *       "metadata": {
                     *         "ticket": "SUP-42"
                     *       },
                     *       "previous_response_id": null,
                     *       "store": true,
                     *       "tools": [],
                     *       "tool_choice": "auto",
                     *       "parallel_tool_calls": true,
                     *       "temperature": 1,
                     *       "top_p": 1,
                     *       "presence_penalty": 0,
                     *       "frequency_penalty": 0,
                     *       "top_logprobs": 0,
                     *       "max_output_tokens": null,
                     *       "max_tool_calls": null,
                     *       "service_tier": "default",
                     *       "safety_identifier": null,
                     *       "prompt_cache_key": null,
                     *       "truncation": "disabled",
                     *       "text": {
                     *         "format": {
                     *           "type": "text"
                     *         }
                     *       },
                     *       "reasoning": null,
                     *       "access_programs": null,
                     *       "x_runyard": {
                     *         "run_id": "run_01JZ8Q6W3M4K2N5P7R9T1V3X5Z",
                     *         "session_id": "sess_01JZ8Q6W2Y0B1C2D3E4F5G6H7J",
                     *         "chat_id": "chat_01JZ8Q6W2Y8K9M0N1P2Q3R4S5T"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Response"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
        };
    };
    listResponseInputItems: {
        parameters: {
            query?: {
                /** @description List items after this item id. */
                after?: string;
                /** @description 1–100, default 20. */
                limit?: number;
                /** @description Default `desc` (newest first), as OpenAI. */
                order?: "asc" | "desc";
            };
            header?: never;
            path: {
                /** @description response id (`resp_…`) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of input items */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "list",
                     *       "data": [
                     *         {
                     *           "type": "message",
                     *           "id": "msg_01JZ8Q6W3M4K2N5P7R9T1V3X60",
                     *           "role": "user",
                     *           "status": "completed",
                     *           "content": [
                     *             {
                     *               "type": "input_text",
                     *               "text": "List the files in the repository."
                     *             }
                     *           ]
                     *         }
                     *       ],
                     *       "first_id": "msg_01JZ8Q6W3M4K2N5P7R9T1V3X60",
                     *       "last_id": "msg_01JZ8Q6W3M4K2N5P7R9T1V3X60",
                     *       "has_more": false
                     *     }
                     */
                    "application/json": components["schemas"]["ResponsesInputItemList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
        };
    };
    listModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The models */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
        };
    };
    getModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                model: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The model */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Model"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
        };
    };
    createChatCompletion: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChatCompletionRequest"];
            };
        };
        responses: {
            /**
             * @description The completion (`application/json`), or its chunks with `stream: true`.
             *
             *     One `data: <chat.completion.chunk JSON>` per chunk, ending with `data: [DONE]`.
             */
            200: {
                headers: {
                    /** @description The run behind this completion */
                    "x-runyard-run-id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatCompletion"];
                    "text/event-stream": components["schemas"]["ChatCompletionChunk"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Missing, invalid, expired or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description The key may not act on this resource */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Not found (or not owned by the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Conflict: the chat already has an active run (`chat_busy`), or its session is archived (`session_archived`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description The request body is larger than the limit (10 MiB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description A rate limit or the concurrent-run quota was reached (`rate_limited`); `Retry-After` says in how many seconds to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Unexpected server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
            /** @description Service unavailable (database or engine unreachable, or every database connection busy; `Retry-After` when a retry soon should succeed) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIError"];
                };
            };
        };
    };
    webhook_run_completed: {
        parameters: {
            query?: never;
            header: {
                /** @description The message id (`whmsg_…`): the same on every retry and redelivery, so a receiver can ignore repeats. */
                "webhook-id": string;
                /** @description When this attempt was sent, in Unix seconds; receivers refuse old ones (replays). */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the base64-decoded part of the endpoint secret after `whsec_` (Standard Webhooks; the `standardwebhooks` libraries verify it). */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["WebhookRunCompleted"];
            };
        };
        responses: {
            /** @description Any 2xx: received (the body is ignored). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhook_run_failed: {
        parameters: {
            query?: never;
            header: {
                /** @description The message id (`whmsg_…`): the same on every retry and redelivery, so a receiver can ignore repeats. */
                "webhook-id": string;
                /** @description When this attempt was sent, in Unix seconds; receivers refuse old ones (replays). */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the base64-decoded part of the endpoint secret after `whsec_` (Standard Webhooks; the `standardwebhooks` libraries verify it). */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["WebhookRunFailed"];
            };
        };
        responses: {
            /** @description Any 2xx: received (the body is ignored). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhook_run_cancelled: {
        parameters: {
            query?: never;
            header: {
                /** @description The message id (`whmsg_…`): the same on every retry and redelivery, so a receiver can ignore repeats. */
                "webhook-id": string;
                /** @description When this attempt was sent, in Unix seconds; receivers refuse old ones (replays). */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the base64-decoded part of the endpoint secret after `whsec_` (Standard Webhooks; the `standardwebhooks` libraries verify it). */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["WebhookRunCancelled"];
            };
        };
        responses: {
            /** @description Any 2xx: received (the body is ignored). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhook_run_waiting: {
        parameters: {
            query?: never;
            header: {
                /** @description The message id (`whmsg_…`): the same on every retry and redelivery, so a receiver can ignore repeats. */
                "webhook-id": string;
                /** @description When this attempt was sent, in Unix seconds; receivers refuse old ones (replays). */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the base64-decoded part of the endpoint secret after `whsec_` (Standard Webhooks; the `standardwebhooks` libraries verify it). */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["WebhookRunWaiting"];
            };
        };
        responses: {
            /** @description Any 2xx: received (the body is ignored). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
