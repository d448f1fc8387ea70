/** Messages of the ledger folder, in one place (STYLE §2.5 habit 3). */
export const messages = {
  badParamValue: (key: string, kind: string) =>
    `Run parameter ${key === "" ? "(the parameters themselves)" : `"${key}"`} is ${kind}, which has no stable ` +
    `canonical form. Use numbers, strings, booleans, null, arrays, typed arrays, Dates or plain objects.`,
  paramsNotObject: (kind: string) => `Run parameters must be a plain object (key → value); got ${kind}.`,
  badIdentifier: (identifier: string) =>
    `Run identifier ${JSON.stringify(identifier)} cannot name a folder: use a non-empty name without "/", "\\", ` +
    `NUL, and not "." or "..".`,
  badRelpath: (relpath: string) =>
    `Project relpath ${JSON.stringify(relpath)} must be a relative path inside the root without "..". ` +
    `Use sub(name) to go one level down.`,
  badOption: (name: string, value: unknown, allowed: string) =>
    `Option ${name} = ${JSON.stringify(value)} is not valid; use ${allowed}.`,
  paramsMismatch: (identifier: string, nearestUid: string, keys: readonly string[]) =>
    `No "${identifier}" run has exactly these parameters; the nearest, uid ${nearestUid}, differs in ` +
    `${keys.join(", ")}. Pass the same values to resume it, or onNearMiss: "new" to start a new run.`,
  runBusy: (uid: string, identifier: string, host: string, pid: number, ttlMs: number) =>
    `Run "${identifier}" uid ${uid} is running in process ${pid} on ${host} (heartbeat fresher than ${ttlMs} ms). ` +
    `Skip it (tryStart() returns false), or wait: it becomes reclaimable when its heartbeat expires.`,
  runAlreadyDone: (uid: string, identifier: string) =>
    `Run "${identifier}" uid ${uid} is already done. Check isDone() before start(), or ask for existing: "new" to run ` +
    `the same parameters again.`,
  notStarted: (uid: string, identifier: string, what: string) =>
    `${what}() on run "${identifier}" uid ${uid}, which this handle has not started. Call start() (or tryStart()) first.`,
  corruptRecord: (file: string, detail: string) =>
    `Ledger record ${file} does not parse (${detail}). It was not written by hdmea's atomic writer; move it away ` +
    `and the run will be seen without it.`,
  uidsExhausted: (folder: string) => `Could not allocate a run uid in ${folder} after many attempts; is the folder writable?`,
  missingArtefact: (uid: string, name: string) =>
    `Run uid ${uid} has no attached file "${name}". Attach it with run.attachFiles({ ${name}: path }) or pass ` +
    `onMissing: "skip".`,
  badArtefact: (file: string, detail: string) => `Cannot read the artefact ${file} as a table row: ${detail}.`,
};

/** Messages of the sweep generators. */
export const sweepMessages = {
  notAnAxis: (key: string, value: unknown) =>
    `Sweep axis "${key}" must be an array of values to try (or an object of axes); got ${JSON.stringify(value)}. ` +
    `Put fixed values in constants({...}) and combine with chain().`,
  zipLengths: (axes: readonly string[]) => `zip() needs axes of one length; got ${axes.join(", ")}. Use product() for combinations.`,
  chainConflict: (key: string) =>
    `Two sweeps given to chain() both set "${key}". Give each parameter in one sweep only.`,
};
