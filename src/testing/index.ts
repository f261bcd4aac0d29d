/**
 * `tagrelay/testing`: helpers for unit-testing a tracking plan. `createTestZaraz` gives a runtime
 * whose requests are recorded instead of sent, with a fake clock and debug records; the pieces
 * (recording transport, fake clock) also work with `createZaraz({ transport, env: { clock } })`.
 */
export { createRecordingTransport, type RecordedRequest, type RecordingTransport } from './recording-transport'
export { createFakeClock, type FakeClock } from './fake-clock'
export { createTestZaraz, type TestZaraz } from './harness'
export type { DebugRecord, DebugRequest } from '../debug/records'
