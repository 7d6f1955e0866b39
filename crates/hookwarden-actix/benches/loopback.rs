//! The middleware under load over loopback, and its glue: what `WebhookVerify` costs the server
//! per request beyond the core's own work.
//!
//! Run with `cargo bench -p hookwarden-actix --bench loopback`. The runs, what they count and
//! the settings are the harness's (`crates/hookwarden-loopback`); here are the servers: an
//! actix-web endpoint on one worker, bare, wrapped in `WebhookVerify` (`middleware+store`), and
//! with the endpoint's steps called in its handler.

#![allow(missing_docs)]

use std::hint::black_box;

use actix_web::web::Bytes;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hookwarden::Endpoint;
use hookwarden::endpoint::Head;
use hookwarden::headers::{HeaderName, HeaderValues, Headers, Lookup};
use hookwarden_actix::WebhookVerify;
use hookwarden_loopback::{Adapter, ROLE, answer_cpu_queries, endpoint};

static MIDDLEWARE: Adapter =
    Adapter { mode: "middleware", name: "middleware+store", workers: "one actix-web worker", serve };

fn main() {
    hookwarden_loopback::run(&MIDDLEWARE);
}

/// The handler of every endpoint: takes the body, answers 200.
async fn handler(body: Bytes) -> HttpResponse {
    black_box(body.len());
    HttpResponse::Ok().finish()
}

/// actix-web's headers as the core reads them: what the middleware's own (crate-private)
/// `ActixHeaders` does, names compared byte for byte since actix keeps them lowercase.
struct ActixHeaders<'a>(&'a actix_web::http::header::HeaderMap);

impl Headers for ActixHeaders<'_> {
    fn lookup(&self, name: &HeaderName) -> Lookup<'_> {
        let wanted = name.as_str();
        let Some(key) = self.0.keys().find(|key| key.as_str() == wanted) else {
            return Lookup::Missing;
        };
        let mut values = self.0.get_all(key);
        match (values.next(), values.next()) {
            (None, _) => Lookup::Missing,
            (Some(value), None) => Lookup::One(value.as_bytes()),
            (Some(_), Some(_)) => Lookup::Many,
        }
    }
}

impl HeaderValues for ActixHeaders<'_> {
    fn for_each_value<'a>(&'a self, name: &HeaderName, each: &mut dyn FnMut(&'a [u8])) {
        let wanted = name.as_str();
        if let Some(key) = self.0.keys().find(|key| key.as_str() == wanted) {
            self.0.get_all(key).for_each(|value| each(value.as_bytes()));
        }
    }
}

/// The endpoint's steps, called by hand in the handler: what the middleware does, without it.
async fn steps(endpoint: &Endpoint, req: HttpRequest, body: Bytes) -> HttpResponse {
    let headers = ActixHeaders(req.headers());
    let path = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let head = Head::new(req.method().as_str(), path, &headers).peer(req.peer_addr().map(|peer| peer.ip()));
    let admission = endpoint.admit(&head).unwrap();
    let delivery = endpoint.verify(&head, &admission, &body).unwrap();
    let claim = endpoint.claim(&delivery).await.unwrap();
    black_box((body.len(), delivery.into_verified()));
    assert!(endpoint.settle(claim, Some(200)).await);
    HttpResponse::Ok().finish()
}

/// A server process: prints its address, then serves `/webhooks` on one worker. Each line on
/// its stdin asks for its CPU time so far (nanoseconds); the end of its stdin ends it.
fn serve(mode: &str) {
    let (verify, steps_endpoint) = match mode {
        "bare" => (None, None),
        "middleware" => (Some(WebhookVerify::new(endpoint())), None),
        // Leaked, so the handler holds a reference, not an `Endpoint` to clone for each request:
        // the middleware holds its endpoint behind one `Rc`.
        "steps" => (None, Some(&*Box::leak(Box::new(endpoint())))),
        _ => panic!("unknown {ROLE}: {mode}"),
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    println!("{}", listener.local_addr().unwrap());
    std::thread::spawn(answer_cpu_queries);
    actix_web::rt::System::new()
        .block_on(async move {
            HttpServer::new(move || {
                let resource = web::resource("/webhooks");
                match (&verify, &steps_endpoint) {
                    (Some(verify), _) => {
                        App::new().service(resource.wrap(verify.clone()).route(web::post().to(handler)))
                    }
                    (None, Some(endpoint)) => {
                        let endpoint: &'static Endpoint = endpoint;
                        App::new().service(resource.route(
                            web::post().to(move |req: HttpRequest, body: Bytes| steps(endpoint, req, body)),
                        ))
                    }
                    (None, None) => App::new().service(resource.route(web::post().to(handler))),
                }
            })
            .workers(1)
            .listen(listener)
            .unwrap()
            .run()
            .await
        })
        .unwrap();
}
