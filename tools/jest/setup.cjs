// tsyringe reads decorator metadata through the Reflect API.
require('reflect-metadata');
