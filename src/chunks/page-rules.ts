// The page rules (click, form, timer, scroll, visibility, variable triggers) as a separate file.
import * as rules from '../page-rules/index'
;(window.tagrelayChunks ||= []).push(['page-rules', rules])
