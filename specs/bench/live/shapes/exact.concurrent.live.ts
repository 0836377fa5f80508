import { defineShapeSuite } from '../shapeSuite.js'

await defineShapeSuite({ shape: 'concurrent', setup: 'exact', sample: 100 })
