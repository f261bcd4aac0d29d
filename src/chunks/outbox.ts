// The outbox's restore half (reading, limits, claims) as a separate file, loaded only when
// something is stored (see src/transport/restore.ts).
import { restore } from '../transport/restore'
;(window.tagrelayChunks ||= []).push(['outbox', { restore }])
