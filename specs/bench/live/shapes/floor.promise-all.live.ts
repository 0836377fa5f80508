import { defineShapeSuite } from '../shapeSuite.js'

await defineShapeSuite({ shape: 'promise-all', setup: 'floor' })
