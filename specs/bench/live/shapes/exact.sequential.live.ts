import { defineShapeSuite } from '../shapeSuite.js'

await defineShapeSuite({ shape: 'sequential', setup: 'exact', sample: 40 })
