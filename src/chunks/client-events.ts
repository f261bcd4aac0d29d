// The client events (scroll, mouse, resize, visibility, page hide/show, resources) as a separate
// file, loaded the first time a tool attaches one (historyChange needs none of it).
import { clientEventHandler } from '../tools/host/client-events'
;(window.tagrelayChunks ||= []).push(['client-events', { clientEventHandler }])
