// The debugger panel as a separate file, loaded only in debug mode.
import { showDebugger } from '../debug/panel'
;(window.tagrelayChunks ||= []).push(['debugger', { showDebugger }])
