// The consent modal as a separate file of the script-tag build, loaded only when it is shown.
import { openModal } from '../consent/modal'
;(window.tagrelayChunks ||= []).push(['consent-modal', { openModal }])
