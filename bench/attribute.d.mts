// Types of bench/attribute.mjs (plain JavaScript, run by node without a build step), for its unit test.
export interface Script {
  start: number
  duration: number
  sourceURL: string
}
export interface Frame {
  start: number
  duration: number
  blockingDuration: number
  scripts: Script[]
}
export interface LongTask {
  start: number
  duration: number
}
export interface AttributedTask extends LongTask {
  oursMs: number
  caused: boolean
}
export interface AttributedFrame {
  start: number
  duration: number
  blockingDuration: number
  oursMs: number
}
export declare const LONG_TASK_MS: number
export declare function attributeTasks(longTasks: LongTask[], frames: Frame[], isOurs: (url: string) => boolean): AttributedTask[]
export declare function attributeFrames(frames: Frame[], isOurs: (url: string) => boolean): AttributedFrame[]
export declare function summariseLoads(loads: { tasks: AttributedTask[]; frames: AttributedFrame[] }[]): {
  loads: number
  longTasks: number
  loadsWithLongTasks: number
  longestMs: number
  ours: { longTasks: number; loadsWithLongTasks: number; caused: number; longestInTaskMs: number; longFrames: number; longestInFrameMs: number }
}
