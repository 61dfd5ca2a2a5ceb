// Engine failures the orchestrator must tell apart, raised by every runtime in these terms so that
// no orchestrator code parses an engine's wording.

export class RuntimeError extends Error {
  constructor(
    message: string,
    readonly engineMessage: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A host port to publish is taken. */
export class PortInUseError extends RuntimeError {
  constructor(
    readonly hostPort: string,
    engineMessage: string,
  ) {
    super(`host port ${hostPort} is already in use`, engineMessage);
  }
}

/** The engine has no address range left for another network. */
export class AddressPoolExhaustedError extends RuntimeError {}

/** A container, network or volume with that name exists already. */
export class NameConflictError extends RuntimeError {}

/** The engine could not build an image (a failing step, a missing Dockerfile, a bad context). */
export class BuildFailedError extends RuntimeError {}
