// The template expression engine as a separate file, loaded only for configs that need it.
import { compileExpression } from '../expressions/index'
;(window.tagrelayChunks ||= []).push(['expressions', { compileExpression }])
