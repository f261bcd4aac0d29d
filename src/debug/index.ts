/** Debug mode's code, one chunk: the records of every decision and the panel that shows them. */
export { createRecorder } from './records'
export { showDebugger } from './panel'
export { formatIssue } from '../config/messages'
export { configWarnings } from '../config/warnings'
export { describeNote } from './notes'
export { attachDebugger } from './attach'
