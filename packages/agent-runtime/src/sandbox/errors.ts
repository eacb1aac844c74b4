// Typed errors so tools can tell "refused path" from "missing file" from "no sandbox".

export class SandboxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SandboxError'
  }
}

export type SandboxPathErrorReason = 'outside-workspace' | 'symlink-escape' | 'invalid-path' | 'too-many-links'

/** A path was refused because it is (or resolves) outside the workspace. */
export class SandboxPathError extends SandboxError {
  constructor(
    readonly path: string,
    readonly reason: SandboxPathErrorReason,
    message: string,
  ) {
    super(message)
    this.name = 'SandboxPathError'
  }
}

export class SandboxFileNotFoundError extends SandboxError {
  readonly code = 'ENOENT'
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`No such file or directory: ${path}`, options)
    this.name = 'SandboxFileNotFoundError'
  }
}

/** No sandbox can be used; the message says what to configure. */
export class SandboxUnavailableError extends SandboxError {
  constructor(message: string) {
    super(message)
    this.name = 'SandboxUnavailableError'
  }
}

/** `exec` was aborted through its signal; the process has been killed. */
export class SandboxAbortError extends SandboxError {
  constructor(
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super('The command was aborted')
    this.name = 'AbortError'
  }
}
