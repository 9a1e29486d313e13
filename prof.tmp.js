const fs=require('fs');const dir=process.argv[3];const f=fs.readdirSync(dir).find(x=>x.endsWith('.cpuprofile'));
const p=JSON.parse(fs.readFileSync(dir+'/'+f));const self=new Map();const byId=new Map(p.nodes.map(n=>[n.id,n]));
const dt=p.timeDeltas;let counts=new Map();p.samples.forEach((s,i)=>counts.set(s,(counts.get(s)||0)+(dt[i]||0)));
for(const [id,t] of counts){const n=byId.get(id);const k=n.callFrame.functionName+' '+n.callFrame.url.replace(/.*node_modules\//,'nm/').replace(/.*\/dist\//,'dist/')+':'+n.callFrame.lineNumber;self.set(k,(self.get(k)||0)+t);}
const tot=[...self.values()].reduce((a,b)=>a+b,0);console.log('total ms',(tot/1000).toFixed(0));
[...self.entries()].sort((a,b)=>b[1]-a[1]).slice(0,+process.argv[2]||25).forEach(([k,v])=>console.log((v/1000).toFixed(0).padStart(6),k));
