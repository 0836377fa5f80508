import { defineShapeSuite } from '../shapeSuite.js'

await defineShapeSuite({ shape: 'concurrent', setup: 'effective' })
