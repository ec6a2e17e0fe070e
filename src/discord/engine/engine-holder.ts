import type { Engine } from '../../answer/types.js';

/**
 * Where the bot finds the engine. Each handler calls `current()` once and uses that engine to the end, so an index
 * swapped in meanwhile (hot reload) never mixes with the old one inside one answer.
 */
export interface EngineHolder {
  current(): Engine;
}

/** An EngineHolder whose engine can be replaced atomically, e.g. on SIGHUP after `npm run ingest`. */
export class SwappableEngine implements EngineHolder {
  private engine: Engine;

  constructor(engine: Engine) {
    this.engine = engine;
  }

  current(): Engine {
    return this.engine;
  }

  /** Replaces the engine for every later `current()` call; returns the previous one. */
  swap(next: Engine): Engine {
    const previous = this.engine;
    this.engine = next;
    return previous;
  }
}
