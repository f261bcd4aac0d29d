// The user-agent parser as a separate file of the script-tag build, loaded only when needed.
import UAParser from 'ua-parser-js'
;(window.tagrelayChunks ||= []).push(['ua', UAParser])
