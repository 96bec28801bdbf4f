// The names of seed 004 (the `uwsgi` module page), checked against the seed:
//   grep -oE '^uwsgi\.[a-z_0-9]+' 004_8e2db84668545c92.txt | sort -u
// (128 names) plus getoption/setoption, which the page gives as aliases of
// get_option/set_option. And seed 003's uwsgidecorators API reference.
export const SEED_004_UWSGI = `
accepting add_cron add_file_monitor add_probe add_rb_timer add_timer applications applist async_connect async_send_message async_sleep
buffer_size cache_clear cache_del cache_exists cache_get cache_set cache_update call cl close cluster cluster_best_node cluster_node_name
cluster_nodes connect connection_fd disconnect embedded_data erlang_connect erlang_recv_message erlang_register_process erlang_rpc
erlang_send_message extract farm_get_msg farm_msg fastfuncs fcgi get_logvar get_option green_schedule grunt has_hook i_am_the_spooler
in_farm is_connected is_locked listen_queue lock log log_this_request logsize magic_table masterpid mem message_manager_marshal
mule_get_msg mule_id mule_msg numproc opt parsefile queue_get queue_last queue_pop queue_pull queue_pull_slot queue_push queue_set
queue_slot ready recv recv_block recv_frame register_rpc register_signal reload request_id route rpc rpc_list send send_message
send_multi_message send_multicast_message send_to_spooler sendfile set_logvar set_option set_spooler_frequency set_user_harakiri
set_warning_message setprocname sharedarea_inclong sharedarea_read sharedarea_readbyte sharedarea_readlong sharedarea_write
sharedarea_writebyte sharedarea_writelong signal signal_received signal_registered signal_wait snmp_decr_counter32 snmp_decr_counter64
snmp_decr_gauge snmp_incr_counter32 snmp_incr_counter64 snmp_incr_gauge snmp_set_community snmp_set_counter32 snmp_set_counter64
snmp_set_gauge sorry_i_need_to_block spooler_get_task spooler_jobs spooler_pid started_on stop suspend total_requests unlock
wait_fd_read wait_fd_write worker_id workers
getoption setoption
`.trim().split(/\s+/);

export const SEED_003_DECORATORS = "postfork spool spoolforever spoolraw rpc signal timer rbtimer cron filemon erlang thread lock mulefunc harakiri".split(" ");

/** Seed names with no meaning in mulefarm: each throws NotSupported saying why. */
export const NOT_SUPPORTED = `
snmp_set_community snmp_set_counter32 snmp_set_counter64 snmp_set_gauge snmp_incr_counter32 snmp_incr_counter64 snmp_incr_gauge
snmp_decr_counter32 snmp_decr_counter64 snmp_decr_gauge erlang_send_message erlang_register_process erlang_recv_message erlang_connect
erlang_rpc cluster cluster_nodes cluster_node_name cluster_best_node send_multicast_message send_message send_multi_message route
connect connection_fd is_connected send recv recv_block recv_frame close fcgi parsefile async_connect async_send_message wait_fd_read
wait_fd_write cl disconnect sendfile log_this_request set_logvar get_logvar grunt has_hook add_probe set_warning_message
`.trim().split(/\s+/);
