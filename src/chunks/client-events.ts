// Client events (scroll, mouse, resize, visibility, page hide/show, resources, historyChange) as a
// separate file, loaded the first time a tool attaches one or starts with client-event listeners;
// it renders `registerWidget` widgets too (loaded then as well).
import { createClientEvents } from '../tools/host/client-events'
;(window.tagrelayChunks ||= []).push(['client-events', { createClientEvents }])
