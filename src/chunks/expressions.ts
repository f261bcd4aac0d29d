// The template expression engine as a separate file, loaded only for configs that need it.
// Its exports are the compile option it provides (src/runtime.ts).
import { compileExpression } from '../expressions/index'
;(window.tagrelayChunks ||= []).push(['expressions', { expression: compileExpression }])
