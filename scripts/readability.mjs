// Counts what issue 19 asks to remove from src/ (TypeScript AST): nested ternaries, ternaries and
// `&&`/`||`/`??` used as statements, `void` discards, comma expressions, one- or two-letter fields
// (words such as `id` or `ok` aside, and formats marked "storage format: do not rename"),
// one-letter module-level names, and comments about saving bytes.
// Usage: node scripts/readability.mjs [dir] [skip,parts]   (VERBOSE=1 lists each one)
import ts from 'typescript'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
const root = process.argv[2] || 'src'
const skip = (process.argv[3] || '').split(',').filter(Boolean)
const files = []
const walk = (d) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else if (p.endsWith('.ts')) files.push(p) } }
walk(root)
const counts = { nestedTernary: [], ternaryOrLogicalStatement: [], voidDiscard: [], commaExpression: [], shortField: [], shortModuleName: [], bytesComment: [] }
const WORDS = new Set(['id', 'ip', 'os', 'ua', 'op', 'ok', 'at', 'fn', 'to'])
/** A field of a type whose comment marks it a storage or wire format (its names are the format). */
const storageFormat = (n) => {
  for (let p = n.parent; p; p = p.parent) if (/storage format|wire format/i.test(p.getFullText().slice(0, p.getStart() - p.getFullStart()))) return true
  return false
}
const unparen = (e) => { while (ts.isParenthesizedExpression(e)) e = e.expression; return e }
for (const file of files) {
  if (skip.some((s) => file.includes(s))) continue
  const text = readFileSync(file, 'utf8')
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const at = (n) => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`
  const visit = (n, inTernary) => {
    if (ts.isConditionalExpression(n) && inTernary) counts.nestedTernary.push(at(n))
    if (ts.isExpressionStatement(n)) {
      const e = unparen(n.expression)
      if (ts.isConditionalExpression(e) || (ts.isBinaryExpression(e) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(e.operatorToken.kind))) counts.ternaryOrLogicalStatement.push(at(n))
    }
    if (ts.isVoidExpression(n)) counts.voidDiscard.push(at(n))
    if (ts.isBinaryExpression(n) && n.operatorToken.kind == ts.SyntaxKind.CommaToken) counts.commaExpression.push(at(n))
    if ((ts.isPropertySignature(n) || ts.isPropertyDeclaration(n)) && n.name && ts.isIdentifier(n.name) && n.name.text.length <= 2 && !WORDS.has(n.name.text) && !storageFormat(n)) counts.shortField.push(at(n) + ' ' + n.name.text)
    if (ts.isTypeAliasDeclaration(n) && n.name.text.length <= 1 && !n.typeParameters) counts.shortField.push(at(n) + ' type ' + n.name.text)
    if (ts.isImportSpecifier(n) && n.name.text.length <= 1) counts.shortModuleName.push(at(n) + ' ' + n.name.text)
    if (ts.isNamespaceImport(n) && n.name.text.length <= 1) counts.shortModuleName.push(at(n) + ' ' + n.name.text)
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text.length == 1 && /^[A-Z]$/.test(n.name.text) && n.parent.parent.parent && ts.isSourceFile(n.parent.parent.parent)) counts.shortModuleName.push(at(n) + ' const ' + n.name.text)
    const nested = inTernary || ts.isConditionalExpression(n)
    ts.forEachChild(n, (c) => visit(c, ts.isFunctionLike(c) ? false : nested))
  }
  visit(sf, false)
  // (The build's own code, src/build/ and src/cli/, is about terser and bytes: its comments say what the build does, not why runtime code has a shape.)
  if (!/src\/(build|cli)\//.test(file)) for (const m of text.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)) if (/(sav|cost|cheap|small|short)[a-z]*\b.{0,60}\b(bytes?|gzip|core|bundle)\b|\b(bytes?|gzip)\b.{0,40}\b(sav|cheap|small)|\bcore\b.{0,20}\bsmall|terser|minif/is.test(m[0])) counts.bytesComment.push(`${file}:${text.slice(0, m.index).split('\n').length} ${m[0].slice(0, 90).replace(/\n/g, ' ')}`)
}
const verbose = process.env.VERBOSE
for (const [k, v] of Object.entries(counts)) { console.log(k.padEnd(28), v.length); if (verbose) for (const x of v) console.log('   ', x) }
