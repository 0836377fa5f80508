import { defineShapeSuite } from '../shapeSuite.js'

await defineShapeSuite({ shape: 'sequential', setup: 'naive', sample: 30 })
