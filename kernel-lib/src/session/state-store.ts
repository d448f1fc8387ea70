/**
 * The session's key–value state store (DESIGN §3): small JSON values a notebook wants to keep with the session
 * (chosen parameters, notes, selections). Values are checked when set, stored as copies and handed out as copies,
 * so nothing outside the store can change what it holds.
 */
import { copyJson, jsonProblem, type JsonValue } from "../json";
import { messages } from "./messages";

export class StateStore {
  private readonly values = new Map<string, JsonValue>();
  private readonly onChange: () => void;

  /** @internal sessions create their store. */
  constructor(onChange: () => void = () => undefined, initial: Readonly<Record<string, JsonValue>> = {}) {
    this.onChange = onChange;
    for (const [key, value] of Object.entries(initial)) this.values.set(key, copyJson(value));
  }

  /** A copy of the value stored under `key`, or undefined. */
  get<T extends JsonValue = JsonValue>(key: string): T | undefined {
    const value = this.values.get(key);
    return value === undefined ? undefined : (copyJson(value) as T);
  }

  /** Stores a copy of `value`. Throws a TypeError naming the key when the value is not plain JSON. */
  set(key: string, value: unknown): void {
    if (typeof key !== "string" || key.length === 0) throw new TypeError(messages.stateKeyInvalid(key));
    const problem = jsonProblem(value, `state value '${key}'`);
    if (problem) throw new TypeError(messages.stateNotJson(key, problem));
    this.values.set(key, copyJson(value as JsonValue));
    this.onChange();
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** Removes `key`; returns whether it was there. */
  delete(key: string): boolean {
    const removed = this.values.delete(key);
    if (removed) this.onChange();
    return removed;
  }

  keys(): string[] {
    return [...this.values.keys()];
  }

  get size(): number {
    return this.values.size;
  }

  /** A copy of the whole store as a plain object (what is saved). */
  toJSON(): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    // defineProperty, not assignment: a key such as "__proto__" must become a property, not a prototype.
    for (const [key, value] of this.values) {
      Object.defineProperty(out, key, { value: copyJson(value), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}
