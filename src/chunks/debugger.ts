// Debug mode (records and the panel) as a separate file, loaded only in debug mode.
import * as debug from '../debug/index'
;(window.tagrelayChunks ||= []).push(['debugger', debug])
