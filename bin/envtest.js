#!/usr/bin/env node
import '../dist/envtest.js';
