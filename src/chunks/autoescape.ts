// Contextual escaping of the values of templates written into markup or URLs (Custom HTML's
// htmlCode, Custom Image's imgSrc) as a separate file, loaded only for configs that have such a hole.
// Its exports are the compile option it provides (src/runtime.ts).
import { compileMarkup } from '../autoescape/index'
;(window.tagrelayChunks ||= []).push(['autoescape', { escape: compileMarkup }])
