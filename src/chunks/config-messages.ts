// The words of config problems, loaded only when a config has errors (see src/config/messages.ts).
import * as messages from '../config/messages'
;(window.tagrelayChunks ||= []).push(['config-messages', messages])
